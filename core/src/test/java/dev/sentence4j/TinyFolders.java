package dev.sentence4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small model folders written in a test, in the layouts sentence-transformers and model2vec write: a
 * word-level {@code tokenizer.json} whose ids the test knows, random tables in {@code model.safetensors},
 * and JSON configs. Expected values are then computed from the same tables by plain loops.
 */
final class TinyFolders {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The vocabulary: special tokens first, then the words w0, w1, ... */
    static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]");

    private TinyFolders() {}

    /** The words of the vocabulary after the special tokens. */
    static List<String> vocabulary(int words) {
        List<String> vocabulary = new ArrayList<>(SPECIAL);
        for (int i = 0; i < words; i++) {
            vocabulary.add("w" + i);
        }
        return vocabulary;
    }

    /**
     * The ids a text tokenizes to with {@link #writeTokenizer}'s tokenizer, without special tokens:
     * split at spaces, each word its vocabulary index, an unknown word {@code [UNK]}.
     */
    static int[] ids(List<String> vocabulary, String text) {
        return text.isBlank() ? new int[0] : java.util.Arrays.stream(text.trim().split(" +"))
                .mapToInt(word -> vocabulary.contains(word) ? vocabulary.indexOf(word) : vocabulary.indexOf("[UNK]"))
                .toArray();
    }

    /**
     * A {@code tokenizer.json} as the tokenizers library writes it: a WordLevel model split on whitespace,
     * whose post-processor adds {@code [CLS]} and {@code [SEP]} (which a static model must not use).
     */
    static void writeTokenizer(Path folder, List<String> vocabulary) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : SPECIAL) {
            added.addObject().put("id", vocabulary.indexOf(special)).put("content", special).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String special : List.of("[CLS]", "[SEP]")) {
            specials.putObject(special).put("id", special).putArray("ids").add(vocabulary.indexOf(special));
            ((ObjectNode) specials.get(special)).putArray("tokens").add(special);
        }
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < vocabulary.size(); i++) {
            vocab.put(vocabulary.get(i), i);
        }
        model.put("unk_token", "[UNK]");
        writeJson(folder.resolve("tokenizer.json"), root);
    }

    /** Random values in [-1, 1), the same for the same seed. */
    static float[] random(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }

    /** Writes {@code model.safetensors} with float32 tensors, in the order given. */
    static void writeWeights(Path folder, Map<String, SafeTensors.Tensor> tensors) {
        try {
            Files.createDirectories(folder);
            SafeTensors.write(folder.resolve("model.safetensors"), new LinkedHashMap<>(tensors));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a JSON file (a map, list or node), creating its folder. */
    static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code modules.json} entry. */
    static Map<String, Object> module(int index, String path, String type) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("idx", index);
        entry.put("name", Integer.toString(index));
        entry.put("path", path);
        entry.put("type", type);
        return entry;
    }

    /** The {@code config_sentence_transformers.json} sentence-transformers 6 writes for a family. */
    static void writeSentenceTransformersConfig(Path folder, String family, String similarity) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("__version__", Map.of("sentence_transformers", "6.0.1", "transformers", "5.17.0", "pytorch", "2.11.0"));
        config.put("default_prompt_name", null);
        config.put("model_type", family);
        config.put("prompts", Map.of("query", "", "document", ""));
        config.put("similarity_fn_name", similarity);
        writeJson(folder.resolve("config_sentence_transformers.json"), config);
    }

    /** The row {@code id} of a {@code [rows, dimension]} table. */
    static float[] row(float[] table, int dimension, int id) {
        return java.util.Arrays.copyOfRange(table, id * dimension, (id + 1) * dimension);
    }

    /** The L2-normalized vector, in double precision. */
    static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[vector.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }
}
