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
        writeCausalLm(folder, ChatTemplateTestTemplates.QWEN3_RERANKER);
        Files.writeString(folder.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "%s"},
                 {"idx": 1, "name": "1", "path": "1_LogitScore", "type": "%s"}]""".formatted(TRANSFORMER, LOGIT_SCORE));
        writeCrossEncoderConfig(folder);
        writeLogitScore(folder.resolve("1_LogitScore"), TRUE_ID, FALSE_ID);
        return folder;
    }

    /**
     * Writes a CrossEncoder whose one module is a Router, as sentence-transformers 6 saves one: routes
     * {@code web} (the default) and {@code code}, each a Transformer for text generation (the causal LM
     * of {@link #write}) followed by its own LogitScore, the {@code code} route's chat template judging
     * a passage against a snippet ({@link #CODE_SYSTEM} in place of the Qwen3-Reranker's system turn).
     *
     * @param codeFalseId the {@code code} route's false token ({@link #FALSE_ID} for the same rows as {@code web}'s)
     */
    public static Path writeRouter(Path folder, int codeFalseId) throws IOException {
        Files.createDirectories(folder);
        writeCausalLm(folder.resolve("web_0_Transformer"), ChatTemplateTestTemplates.QWEN3_RERANKER);
        writeLogitScore(folder.resolve("web_1_LogitScore"), TRUE_ID, FALSE_ID);
        writeCausalLm(folder.resolve("code_0_Transformer"), ChatTemplateTestTemplates.QWEN3_RERANKER.replace(QWEN3_SYSTEM, CODE_SYSTEM));
        writeLogitScore(folder.resolve("code_1_LogitScore"), TRUE_ID, codeFalseId);
        Map<String, String> types = new LinkedHashMap<>();
        for (String route : List.of("web", "code")) {
            types.put(route + "_0_Transformer", TRANSFORMER);
            types.put(route + "_1_LogitScore", LOGIT_SCORE);
        }
        ObjectNode router = JSON.createObjectNode();
        router.set("types", JSON.valueToTree(types));
        Map<String, List<String>> structure = new LinkedHashMap<>();
        structure.put("web", List.of("web_0_Transformer", "web_1_LogitScore"));
        structure.put("code", List.of("code_0_Transformer", "code_1_LogitScore"));
        router.set("structure", JSON.valueToTree(structure));
        router.putObject("parameters").put("default_route", "web").put("allow_empty_key", true).putObject("route_mappings");
        JSON.writeValue(folder.resolve("router_config.json").toFile(), router);
        Files.writeString(folder.resolve("modules.json"),
                "[{\"idx\": 0, \"name\": \"0\", \"path\": \"\", \"type\": \"sentence_transformers.base.modules.router.Router\"}]");
        writeCrossEncoderConfig(folder);
        return folder;
    }

    /** The Qwen3-Reranker template's system turn. */
    public static final String QWEN3_SYSTEM = "Judge whether the Document meets the requirements based on the Query and the "
            + "Instruct provided. Note that the answer can only be \"yes\" or \"no\".";
    /** The system turn of {@link #writeRouter}'s {@code code} route. */
    public static final String CODE_SYSTEM = "Judge whether the Document explains the code in the Query. Answer \"yes\" or \"no\".";
    private static final String TRANSFORMER = "sentence_transformers.base.modules.transformer.Transformer";
    private static final String LOGIT_SCORE = "sentence_transformers.cross_encoder.modules.logit_score.LogitScore";

    /** The Qwen3 fixture's weights as a tied Qwen3ForCausalLM for text generation, with this chat template. */
    private static void writeCausalLm(Path folder, String chatTemplate) throws IOException {
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
        Files.writeString(folder.resolve("chat_template.jinja"), chatTemplate);
        Files.writeString(folder.resolve("sentence_bert_config.json"), """
                {"transformer_task": "text-generation",
                 "modality_config": {"text": {"method": "forward", "method_output_name": "logits"},
                                     "message": {"method": "forward", "method_output_name": "logits", "format": "flat"}},
                 "module_output_name": "causal_logits"}""");
    }

    private static void writeCrossEncoderConfig(Path folder) throws IOException {
        Files.writeString(folder.resolve("config_sentence_transformers.json"), """
                {"__version__": {"sentence_transformers": "6.0.1"}, "model_type": "CrossEncoder",
                 "activation_fn": "torch.nn.modules.activation.Sigmoid",
                 "prompts": {"query": "%s", "code": "Given a code snippet, retrieve text that explains it"},
                 "default_prompt_name": "query"}""".formatted(INSTRUCTION));
    }

    private static void writeLogitScore(Path folder, int trueId, int falseId) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"),
                "{\"true_token_id\": " + trueId + ", \"false_token_id\": " + falseId + ", \"module_input_name\": \"causal_logits\"}");
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
