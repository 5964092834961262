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
