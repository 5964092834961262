package dev.sentence4j.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * BERT checkpoints of any size with random weights (normal, standard deviation 0.02 as transformers
 * initializes them; LayerNorms at 1 and 0), for benchmarks that need a model of a given shape rather
 * than a trained one, such as a cross-encoder the size of all-MiniLM-L6-v2. The folder holds
 * {@code config.json}, {@code model.safetensors} and all-MiniLM-L6-v2's {@code tokenizer.json}.
 */
public final class RandomCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomCheckpoints() {}

    /**
     * A BERT's sizes.
     *
     * @param labels for {@link Head#SEQUENCE_CLASSIFICATION}, the classifier's outputs
     */
    public record BertShape(int hidden, int layers, int heads, int intermediate, int vocabulary, int positions, int labels) {
        /** all-MiniLM-L6-v2's sizes, with one label: a MiniLM-sized cross-encoder. */
        public static BertShape miniLmCrossEncoder() {
            return new BertShape(384, 6, 12, 1536, 30522, 512, 1);
        }
    }

    /** Writes the checkpoint folder of a BERT with {@code head} ({@link Head#NONE} or {@link Head#SEQUENCE_CLASSIFICATION}). */
    public static Path bert(Path folder, BertShape shape, Head head, long seed) {
        Random random = new Random(seed);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        String prefix = head == Head.NONE ? "" : "bert.";
        int h = shape.hidden();
        normal(tensors, random, prefix + "embeddings.word_embeddings.weight", shape.vocabulary(), h);
        normal(tensors, random, prefix + "embeddings.position_embeddings.weight", shape.positions(), h);
        normal(tensors, random, prefix + "embeddings.token_type_embeddings.weight", 2, h);
        layerNorm(tensors, prefix + "embeddings.LayerNorm", h);
        for (int i = 0; i < shape.layers(); i++) {
            String layer = prefix + "encoder.layer." + i + ".";
            for (String name : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                linear(tensors, random, layer + name, h, h);
            }
            layerNorm(tensors, layer + "attention.output.LayerNorm", h);
            linear(tensors, random, layer + "intermediate.dense", h, shape.intermediate());
            linear(tensors, random, layer + "output.dense", shape.intermediate(), h);
            layerNorm(tensors, layer + "output.LayerNorm", h);
        }
        linear(tensors, random, prefix + "pooler.dense", h, h);
        if (head == Head.SEQUENCE_CLASSIFICATION) {
            linear(tensors, random, "classifier", h, shape.labels());
        } else if (head != Head.NONE) {
            throw new IllegalArgumentException("random checkpoints have no " + head + " head");
        }
        try {
            Files.createDirectories(folder);
            SafeTensors.write(folder.resolve("model.safetensors"), tensors);
            JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("config.json").toFile(), config(shape, head));
            try (InputStream tokenizer = ModelFiles.resolve("sentence-transformers/all-MiniLM-L6-v2").open("tokenizer.json")) {
                Files.copy(tokenizer, folder.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a ModernBertForSequenceClassification of {@code shape}'s sizes (heads of 64, a local window
     * of 128 with global attention every third layer, mean pooling), with all-MiniLM-L6-v2's tokenizer.
     */
    public static Path modernBert(Path folder, BertShape shape, long seed) {
        Random random = new Random(seed);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        int h = shape.hidden();
        normal(tensors, random, "model.embeddings.tok_embeddings.weight", shape.vocabulary(), h);
        ones(tensors, "model.embeddings.norm.weight", h);
        for (int i = 0; i < shape.layers(); i++) {
            String layer = "model.layers." + i + ".";
            if (i > 0) {
                ones(tensors, layer + "attn_norm.weight", h);
            }
            normal(tensors, random, layer + "attn.Wqkv.weight", 3 * h, h);
            normal(tensors, random, layer + "attn.Wo.weight", h, h);
            ones(tensors, layer + "mlp_norm.weight", h);
            normal(tensors, random, layer + "mlp.Wi.weight", 2 * shape.intermediate(), h);
            normal(tensors, random, layer + "mlp.Wo.weight", h, shape.intermediate());
        }
        ones(tensors, "model.final_norm.weight", h);
        normal(tensors, random, "head.dense.weight", h, h);
        ones(tensors, "head.norm.weight", h);
        linear(tensors, random, "classifier", h, shape.labels());
        ObjectNode config = JSON.createObjectNode();
        config.putArray("architectures").add("ModernBertForSequenceClassification");
        config.put("model_type", "modernbert");
        config.put("hidden_size", h);
        config.put("num_hidden_layers", shape.layers());
        config.put("num_attention_heads", h / 64);
        config.put("intermediate_size", shape.intermediate());
        config.put("vocab_size", shape.vocabulary());
        config.put("max_position_embeddings", shape.positions());
        config.put("classifier_pooling", "mean");
        config.put("pad_token_id", 0);
        config.put("num_labels", shape.labels());
        return write(folder, tensors, config, null);
    }

    /**
     * Writes an LLM reranker of {@code shape}'s hidden size, depth and MLP width (heads of 64, two
     * key-value heads, tied embeddings) in sentence-transformers 6's layout: a Qwen3ForCausalLM Transformer
     * for text generation with the Qwen3-Reranker chat template, then LogitScore of two tokens. The
     * vocabulary has {@code shape.vocabulary()} rows; all-MiniLM-L6-v2's tokenizer (left padding) feeds it.
     */
    public static Path qwen3Reranker(Path folder, BertShape shape, long seed) {
        Random random = new Random(seed);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        int h = shape.hidden();
        int heads = h / 64;
        normal(tensors, random, "model.embed_tokens.weight", shape.vocabulary(), h);
        for (int i = 0; i < shape.layers(); i++) {
            String layer = "model.layers." + i + ".";
            ones(tensors, layer + "input_layernorm.weight", h);
            normal(tensors, random, layer + "self_attn.q_proj.weight", h, h);
            normal(tensors, random, layer + "self_attn.k_proj.weight", 2 * 64, h);
            normal(tensors, random, layer + "self_attn.v_proj.weight", 2 * 64, h);
            normal(tensors, random, layer + "self_attn.o_proj.weight", h, h);
            ones(tensors, layer + "self_attn.q_norm.weight", 64);
            ones(tensors, layer + "self_attn.k_norm.weight", 64);
            ones(tensors, layer + "post_attention_layernorm.weight", h);
            normal(tensors, random, layer + "mlp.gate_proj.weight", shape.intermediate(), h);
            normal(tensors, random, layer + "mlp.up_proj.weight", shape.intermediate(), h);
            normal(tensors, random, layer + "mlp.down_proj.weight", h, shape.intermediate());
        }
        ones(tensors, "model.norm.weight", h);
        ObjectNode config = JSON.createObjectNode();
        config.putArray("architectures").add("Qwen3ForCausalLM");
        config.put("model_type", "qwen3");
        config.put("hidden_size", h);
        config.put("num_hidden_layers", shape.layers());
        config.put("num_attention_heads", heads);
        config.put("num_key_value_heads", 2);
        config.put("head_dim", 64);
        config.put("intermediate_size", shape.intermediate());
        config.put("vocab_size", shape.vocabulary());
        config.put("max_position_embeddings", shape.positions());
        config.put("tie_word_embeddings", true);
        config.put("pad_token_id", 0);
        write(folder, tensors, config, "left");
        try {
            Files.writeString(folder.resolve("chat_template.jinja"), QWEN3_RERANKER_TEMPLATE);
            Files.writeString(folder.resolve("modules.json"), "[{\"idx\": 0, \"name\": \"0\", \"path\": \"\", \"type\": "
                    + "\"sentence_transformers.base.modules.transformer.Transformer\"}, {\"idx\": 1, \"name\": \"1\", \"path\": "
                    + "\"1_LogitScore\", \"type\": \"sentence_transformers.cross_encoder.modules.logit_score.LogitScore\"}]");
            Files.writeString(folder.resolve("sentence_bert_config.json"), "{\"transformer_task\": \"text-generation\", "
                    + "\"max_seq_length\": " + shape.positions() + ", \"modality_config\": {\"text\": {\"method\": \"forward\", "
                    + "\"method_output_name\": \"logits\"}, \"message\": {\"method\": \"forward\", \"method_output_name\": "
                    + "\"logits\", \"format\": \"flat\"}}, \"module_output_name\": \"causal_logits\"}");
            Files.writeString(folder.resolve("config_sentence_transformers.json"), "{\"model_type\": \"CrossEncoder\", "
                    + "\"activation_fn\": \"torch.nn.modules.activation.Sigmoid\"}");
            Files.createDirectories(folder.resolve("1_LogitScore"));
            Files.writeString(folder.resolve("1_LogitScore/config.json"), "{\"true_token_id\": " + YES + ", \"false_token_id\": "
                    + NO + ", \"module_input_name\": \"causal_logits\"}");
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** all-MiniLM-L6-v2's ids of "yes" and "no", the rows a {@link #qwen3Reranker} scores by. */
    public static final int YES = 2748;
    public static final int NO = 2053;
    /** The Qwen3-Reranker chat template as sentence-transformers' converted rerankers carry it. */
    public static final String QWEN3_RERANKER_TEMPLATE = "<|im_start|>system\nJudge whether the Document meets the requirements "
            + "based on the Query and the Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n"
            + "<|im_start|>user\n<Instruct>: {{ messages | selectattr(\"role\", \"eq\", \"system\") | map(attribute=\"content\") "
            + "| first | default(\"Given a web search query, retrieve relevant passages that answer the query\") }}\n"
            + "<Query>: {{ messages | selectattr(\"role\", \"eq\", \"query\") | map(attribute=\"content\") | first }}\n"
            + "<Document>: {{ messages | selectattr(\"role\", \"eq\", \"document\") | map(attribute=\"content\") | first }}"
            + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n\n";

    private static Path write(Path folder, Map<String, SafeTensors.Tensor> tensors, ObjectNode config, String paddingSide) {
        try {
            Files.createDirectories(folder);
            SafeTensors.write(folder.resolve("model.safetensors"), tensors);
            JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("config.json").toFile(), config);
            try (InputStream tokenizer = ModelFiles.resolve("sentence-transformers/all-MiniLM-L6-v2").open("tokenizer.json")) {
                Files.copy(tokenizer, folder.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            if (paddingSide != null) {
                ObjectNode tokenizerConfig = JSON.createObjectNode();
                tokenizerConfig.put("padding_side", paddingSide);
                tokenizerConfig.put("model_max_length", 512);
                JSON.writeValue(folder.resolve("tokenizer_config.json").toFile(), tokenizerConfig);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ones(Map<String, SafeTensors.Tensor> tensors, String name, int size) {
        float[] ones = new float[size];
        java.util.Arrays.fill(ones, 1f);
        tensors.put(name, new SafeTensors.Tensor(new long[] {size}, ones));
    }

    private static ObjectNode config(BertShape shape, Head head) {
        ObjectNode config = JSON.createObjectNode();
        config.putArray("architectures").add(head == Head.NONE ? "BertModel" : "BertForSequenceClassification");
        config.put("model_type", "bert");
        config.put("hidden_size", shape.hidden());
        config.put("num_hidden_layers", shape.layers());
        config.put("num_attention_heads", shape.heads());
        config.put("intermediate_size", shape.intermediate());
        config.put("vocab_size", shape.vocabulary());
        config.put("max_position_embeddings", shape.positions());
        config.put("type_vocab_size", 2);
        config.put("hidden_act", "gelu");
        config.put("layer_norm_eps", 1e-12);
        config.put("pad_token_id", 0);
        if (head == Head.SEQUENCE_CLASSIFICATION) {
            ObjectNode labels = config.putObject("id2label");
            for (int i = 0; i < shape.labels(); i++) {
                labels.put(Integer.toString(i), "LABEL_" + i);
            }
        }
        return config;
    }

    private static void linear(Map<String, SafeTensors.Tensor> tensors, Random random, String name, int in, int out) {
        normal(tensors, random, name + ".weight", out, in);
        tensors.put(name + ".bias", new SafeTensors.Tensor(new long[] {out}, new float[out]));
    }

    private static void layerNorm(Map<String, SafeTensors.Tensor> tensors, String name, int size) {
        float[] ones = new float[size];
        java.util.Arrays.fill(ones, 1f);
        tensors.put(name + ".weight", new SafeTensors.Tensor(new long[] {size}, ones));
        tensors.put(name + ".bias", new SafeTensors.Tensor(new long[] {size}, new float[size]));
    }

    private static void normal(Map<String, SafeTensors.Tensor> tensors, Random random, String name, int rows, int columns) {
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.02);
        }
        tensors.put(name, new SafeTensors.Tensor(new long[] {rows, columns}, values));
    }
}
