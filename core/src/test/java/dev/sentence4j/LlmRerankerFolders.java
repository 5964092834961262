package dev.sentence4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.graph.onnx.OnnxProto.AttributeProto;
import dev.sentence4j.graph.onnx.OnnxProto.GraphProto;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.NodeProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import dev.sentence4j.graph.onnx.OnnxProto.TensorShapeProto;
import dev.sentence4j.graph.onnx.OnnxProto.TypeProto;
import dev.sentence4j.graph.onnx.OnnxProto.ValueInfoProto;
import dev.sentence4j.tokenize.ChatTemplateTestTemplates;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small LLM reranker folder in sentence-transformers 6's layout (Transformer for text generation,
 * LogitScore), made from the Qwen3 fixture's random weights as a tied Qwen3ForCausalLM with the
 * Qwen3-Reranker chat template: for {@code graph.LlmRerankerTest} and for other modules' tests (the
 * CLI's {@code rerank}).
 */
public final class LlmRerankerFolders {
    /** The vocabulary id LogitScore reads as "yes". */
    public static final int TRUE_ID = 321;
    /** The vocabulary id LogitScore reads as "no". */
    public static final int FALSE_ID = 77;
    /** The folder's {@code query} prompt, its default. */
    public static final String INSTRUCTION = "Given a web search query, retrieve relevant passages that answer the query";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LlmRerankerFolders() {}

    /** Writes the reranker into {@code folder} (created) and returns it. */
    public static Path write(Path folder) throws IOException {
        Path fixture = Shared.path("fixtures/st6/models/qwen3-lasttoken");
        Files.createDirectories(folder);
        Files.copy(fixture.resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
        ObjectNode tokenizerConfig = (ObjectNode) JSON.readTree(fixture.resolve("tokenizer_config.json").toFile());
        // the prompt alone takes more than the fixture's 64 tokens
        tokenizerConfig.put("model_max_length", 256);
        JSON.writeValue(folder.resolve("tokenizer_config.json").toFile(), tokenizerConfig);
        ObjectNode config = (ObjectNode) JSON.readTree(fixture.resolve("config.json").toFile());
        config.putArray("architectures").add("Qwen3ForCausalLM");
        JSON.writeValue(folder.resolve("config.json").toFile(), config);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        SafeTensors.read(Files.readAllBytes(fixture.resolve("model.safetensors")), "qwen3-lasttoken")
                .forEach((name, tensor) -> tensors.put("model." + name, tensor));
        SafeTensors.write(folder.resolve("model.safetensors"), tensors);
        Files.writeString(folder.resolve("chat_template.jinja"), ChatTemplateTestTemplates.QWEN3_RERANKER);
        Files.writeString(folder.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.base.modules.transformer.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_LogitScore",
                  "type": "sentence_transformers.cross_encoder.modules.logit_score.LogitScore"}]""");
        Files.writeString(folder.resolve("sentence_bert_config.json"), """
                {"transformer_task": "text-generation",
                 "modality_config": {"text": {"method": "forward", "method_output_name": "logits"},
                                     "message": {"method": "forward", "method_output_name": "logits", "format": "flat"}},
                 "module_output_name": "causal_logits"}""");
        Files.writeString(folder.resolve("config_sentence_transformers.json"), """
                {"__version__": {"sentence_transformers": "6.0.1"}, "model_type": "CrossEncoder",
                 "activation_fn": "torch.nn.modules.activation.Sigmoid",
                 "prompts": {"query": "%s", "code": "Given a code snippet, retrieve text that explains it"},
                 "default_prompt_name": "query"}""".formatted(INSTRUCTION));
        Files.createDirectories(folder.resolve("1_LogitScore"));
        Files.writeString(folder.resolve("1_LogitScore/config.json"),
                "{\"true_token_id\": " + TRUE_ID + ", \"false_token_id\": " + FALSE_ID + ", \"module_input_name\": \"causal_logits\"}");
        return folder;
    }

    /**
     * Writes {@code onnx/model.onnx} into a folder {@link #write} made: a causal-LM export whose output
     * {@code logits} is {@code [batch, sequence, vocabulary]}, the whole language-model head at every
     * position, as optimum exports a {@code *ForCausalLM} for text generation. It is the fixture's real
     * Qwen3 export (optimum, feature extraction: the final norm's hidden states) with the tied head
     * appended: {@code logits = last_hidden_state × embed_tokensᵀ}.
     *
     * @param keyValueCache whether the export also takes optimum's key/value cache, as a
     *     {@code text-generation-with-past} export does: {@code past_key_values.N.key/value}
     *     {@code [batch, 2 heads, past tokens, 8]} per layer, and gives {@code present.N.key/value}. The
     *     logits are multiplied by 1 + the number of values in the cache, so only an empty cache (a
     *     first step over the whole input) leaves them as the model's.
     */
    public static Path writeExport(Path folder, boolean keyValueCache) throws IOException {
        ModelProto export = ModelProto.parseFrom(Files.readAllBytes(Shared.path("fixtures/st6/models/qwen3-lasttoken/onnx/model.onnx")));
        GraphProto.Builder graph = export.getGraph().toBuilder();
        String embeddings = graph.getNodeList().stream()
                .filter(n -> n.getOpType().equals("Gather") && n.getInput(1).equals("input_ids"))
                .map(n -> n.getInput(0)).findFirst().orElseThrow();
        graph.clearOutput();
        graph.addNode(NodeProto.newBuilder().setOpType("Transpose").addInput(embeddings).addOutput("lm_head.weight_t")
                .addAttribute(AttributeProto.newBuilder().setName("perm").setType(AttributeProto.AttributeType.INTS)
                        .addInts(1).addInts(0)));
        graph.addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("last_hidden_state").addInput("lm_head.weight_t")
                .addOutput(keyValueCache ? "head_logits" : "logits"));
        if (keyValueCache) {
            List<String> sizes = new ArrayList<>();
            for (int layer = 0; layer < 2; layer++) {
                for (String part : List.of("key", "value")) {
                    String past = "past_key_values." + layer + "." + part;
                    graph.addInput(tensor(past, "batch", 2, "past_sequence", 8));
                    graph.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(past).addOutput("present." + layer + "." + part));
                    graph.addOutput(tensor("present." + layer + "." + part, "batch", 2, "past_sequence", 8));
                    graph.addNode(NodeProto.newBuilder().setOpType("Size").addInput(past).addOutput(past + ".size"));
                    graph.addNode(NodeProto.newBuilder().setOpType("Cast").addInput(past + ".size").addOutput(past + ".count")
                            .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                                    .setI(DataType.FLOAT_VALUE)));
                    sizes.add(past + ".count");
                }
            }
            graph.addInitializer(TensorProto.newBuilder().setName("one").setDataType(DataType.FLOAT_VALUE).addFloatData(1f));
            NodeProto.Builder factor = NodeProto.newBuilder().setOpType("Sum").addInput("one").addOutput("factor");
            sizes.forEach(factor::addInput);
            graph.addNode(factor);
            graph.addNode(NodeProto.newBuilder().setOpType("Mul").addInput("head_logits").addInput("factor").addOutput("logits"));
        }
        graph.addOutput(0, tensor("logits", "batch", "sequence", 1500));
        Path file = Files.createDirectories(folder.resolve("onnx")).resolve("model.onnx");
        Files.write(file, export.toBuilder().setGraph(graph).build().toByteArray());
        return file;
    }

    /** A float tensor's declaration, each dimension a name or a size. */
    private static ValueInfoProto tensor(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            shape.addDim(dim instanceof String param ? TensorShapeProto.Dimension.newBuilder().setDimParam(param)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue((Integer) dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
