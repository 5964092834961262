package dev.sentence4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.tokenize.ChatTemplateTestTemplates;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
}
