package dev.sentence4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Multi-vector (ColBERT) model folders for tests, in the layout sentence-transformers 6 saves a
 * {@code MultiVectorEncoder} in (its source is the authority: {@code MultiVectorEncoder.save}, the
 * classic recipe of docs/multi_vector_encoder/usage/custom_models.rst): the transformer of a real
 * sentence-transformers 6 fixture ({@code seed-bert-mean}, {@code modernbert-mean}), then
 * {@code 1_Dense} (hidden → 16, no bias, Identity, on {@code token_embeddings}) with random weights,
 * {@code 2_MultiVectorMask} (skiplist: Python's {@code string.punctuation}), {@code 3_Normalize} (on
 * {@code token_embeddings}); {@code sentence_bert_config.json} with query expansion (fixed, 32 tokens,
 * not attended) and a document length of 64; prompts {@code "[Q] "} and {@code "[D] "}, similarity maxsim.
 *
 * <p>With {@link Spec#specialPrefixes}, {@code [Q]} and {@code [D]} are added to the tokenizer as special
 * tokens with two new rows of the word embeddings, as PyLate adds them; the ONNX export, which cannot have
 * those rows, is then removed, so the graph is built from the checkpoint.
 */
public final class MultiVectorFolders {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Python's {@code string.punctuation}. */
    public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    public static final int PROJECTION = 16;

    /** What to build; change with the {@code with} methods. */
    public record Spec(String fixture, boolean specialPrefixes, boolean onnx, int expansionLength, boolean attend,
            int documentLength, String similarity, long seed) {
        /** The classic ColBERT recipe on the BERT fixture, ONNX graph, no special prefix tokens. */
        public static Spec bert() {
            return new Spec("seed-bert-mean", false, true, 32, false, 64, "maxsim", 7);
        }

        /** The same on the ModernBERT fixture, with its checkpoint graph and [Q]/[D] special tokens. */
        public static Spec modernBert() {
            return new Spec("modernbert-mean", true, false, 32, false, 64, "maxsim", 8);
        }

        public Spec withSpecialPrefixes() {
            return new Spec(fixture, true, false, expansionLength, attend, documentLength, similarity, seed);
        }

        public Spec withCheckpoint() {
            return new Spec(fixture, specialPrefixes, false, expansionLength, attend, documentLength, similarity, seed);
        }

        public Spec withExpansion(int length, boolean attended) {
            return new Spec(fixture, specialPrefixes, onnx, length, attended, documentLength, similarity, seed);
        }

        public Spec withDocumentLength(int length) {
            return new Spec(fixture, specialPrefixes, onnx, expansionLength, attend, length, similarity, seed);
        }

        public Spec withSimilarity(String name) {
            return new Spec(fixture, specialPrefixes, onnx, expansionLength, attend, documentLength, name, seed);
        }
    }

    private MultiVectorFolders() {}

    /** Builds the folder at {@code parent/name}. */
    public static Path colbert(Path parent, String name, Spec spec) {
        return convert(ModelFolders.st6(parent, spec.fixture(), name), spec, PROJECTION);
    }

    /**
     * A ColBERT model made of the real all-MiniLM-L6-v2 (its ONNX export and tokenizer), projected to
     * {@code projection} dimensions by random weights, at {@code parent/name}: a model of the size of
     * answerdotai/answerai-colbert-small-v1, for benchmarks against the same model as a SentenceTransformer.
     */
    public static Path miniLmColbert(Path parent, String name, int documentLength, int projection) {
        return convert(ModelFolders.miniLm(parent, name),
                new Spec("all-MiniLM-L6-v2", false, true, 32, false, documentLength, "maxsim", 11), projection);
    }

    /** Replaces a model folder's modules after its Transformer by a ColBERT's, as {@code spec} says. */
    private static Path convert(Path folder, Spec spec, int projection) {
        try {
            try (Stream<Path> old = Files.list(folder)) {
                for (Path path : old.filter(p -> p.getFileName().toString().matches("\\d_.*|README.md")).toList()) {
                    delete(path);
                }
            }
            int hidden = JSON.readTree(folder.resolve("config.json").toFile()).path("hidden_size").asInt();
            if (spec.specialPrefixes()) {
                addPrefixTokens(folder, spec.seed());
            }
            if (!spec.onnx()) {
                delete(folder.resolve("onnx"));
            }
            writeModules(folder);
            ObjectNode transformer = JSON.createObjectNode();
            transformer.put("transformer_task", "feature-extraction");
            transformer.putObject("modality_config").putObject("text").put("method", "forward")
                    .put("method_output_name", "last_hidden_state");
            transformer.put("module_output_name", "token_embeddings");
            if (spec.documentLength() > 0) {
                transformer.put("document_length", spec.documentLength());
            }
            if (spec.expansionLength() > 0) {
                transformer.putObject("query_expansion").put("strategy", "fixed").put("attend", spec.attend())
                        .putNull("token").put("length", spec.expansionLength());
            }
            write(folder.resolve("sentence_bert_config.json"), transformer);
            ObjectNode st = JSON.createObjectNode();
            st.putObject("__version__").put("sentence_transformers", "6.0.1");
            st.put("model_type", "MultiVectorEncoder");
            st.putObject("prompts").put("query", "[Q] ").put("document", "[D] ");
            st.putNull("default_prompt_name");
            st.put("similarity_fn_name", spec.similarity());
            write(folder.resolve("config_sentence_transformers.json"), st);
            dense(folder.resolve("1_Dense"), hidden, projection, spec.seed());
            ObjectNode mask = JSON.createObjectNode();
            ArrayNode words = mask.putArray("skiplist_words");
            PUNCTUATION.chars().forEach(c -> words.add(String.valueOf((char) c)));
            mask.putArray("skiplist_tasks").add("document");
            mask.putNull("keep_only_token_ids");
            write(Files.createDirectories(folder.resolve("2_MultiVectorMask")).resolve("config.json"), mask);
            ObjectNode normalize = JSON.createObjectNode();
            normalize.put("module_input_name", "token_embeddings");
            normalize.put("module_output_name", "token_embeddings");
            write(Files.createDirectories(folder.resolve("3_Normalize")).resolve("config.json"), normalize);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Stanford ColBERT folder made from the BERT fixture: its encoder's tensors under {@code bert.}, two
     * vocabulary entries {@code [unused0]}, {@code [unused1]} with random rows, a random projection
     * {@code linear.weight} [16, 32] in the same checkpoint, {@code architectures: ["HF_ColBERT"]}, and
     * {@code artifact.metadata} holding {@code metadata}, in the layout stanford-futuredata/ColBERT's
     * {@code HF_ColBERT.save_pretrained} writes.
     */
    public static Path stanford(Path parent, String name, Map<String, Object> metadata) {
        try {
            Path folder = ModelFolders.st6(parent, "seed-bert-mean", name);
            for (String gone : List.of("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
                    "README.md", "1_Pooling", "onnx")) {
                delete(folder.resolve(gone));
            }
            Path checkpoint = folder.resolve("model.safetensors");
            Random random = new Random(21);
            Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
            SafeTensors.read(Files.readAllBytes(checkpoint), "fixture").forEach((key, tensor) -> {
                if (key.equals("embeddings.word_embeddings.weight")) {
                    int rows = (int) tensor.shape()[0];
                    int hidden = (int) tensor.shape()[1];
                    float[] grown = Arrays.copyOf(tensor.values(), (rows + 2) * hidden);
                    for (int i = rows * hidden; i < grown.length; i++) {
                        grown[i] = (float) random.nextGaussian() * 0.25f;
                    }
                    tensor = new SafeTensors.Tensor(new long[] {rows + 2, hidden}, grown);
                }
                tensors.put("bert." + key, tensor);
            });
            float[] projection = new float[PROJECTION * 32];
            for (int i = 0; i < projection.length; i++) {
                projection[i] = (float) (random.nextGaussian() / Math.sqrt(32));
            }
            tensors.put("linear.weight", new SafeTensors.Tensor(new long[] {PROJECTION, 32}, projection));
            SafeTensors.write(checkpoint, tensors);
            edit(folder.resolve("config.json"), config -> {
                config.putArray("architectures").add("HF_ColBERT");
                config.put("vocab_size", 1502);
            });
            edit(folder.resolve("tokenizer.json"), tokenizer -> {
                ObjectNode vocab = (ObjectNode) tokenizer.path("model").path("vocab");
                vocab.put("[unused0]", 1500);
                vocab.put("[unused1]", 1501);
            });
            ObjectNode artifact = JSON.createObjectNode();
            artifact.put("query_token_id", "[unused0]");
            artifact.put("doc_token_id", "[unused1]");
            metadata.forEach((key, value) -> artifact.set(key, JSON.valueToTree(value)));
            write(folder.resolve("artifact.metadata"), artifact);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites a JSON file of the folder. */
    public static void edit(Path file, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
            change.accept(root);
            write(file, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeModules(Path folder) throws IOException {
        ArrayNode modules = JSON.createArrayNode();
        String[][] entries = {
            {"", "sentence_transformers.base.modules.transformer.Transformer"},
            {"1_Dense", "sentence_transformers.base.modules.dense.Dense"},
            {"2_MultiVectorMask", "sentence_transformers.multi_vector_encoder.modules.multi_vector_mask.MultiVectorMask"},
            {"3_Normalize", "sentence_transformers.base.modules.normalize.Normalize"},
        };
        for (int i = 0; i < entries.length; i++) {
            modules.addObject().put("idx", i).put("name", Integer.toString(i)).put("path", entries[i][0]).put("type", entries[i][1]);
        }
        write(folder.resolve("modules.json"), modules);
    }

    /** A Dense projection without bias and with the Identity activation, on the token embeddings. */
    static void dense(Path folder, int in, int out, long seed) throws IOException {
        Files.createDirectories(folder);
        ObjectNode config = JSON.createObjectNode();
        config.put("in_features", in);
        config.put("out_features", out);
        config.put("bias", false);
        config.put("activation_function", "torch.nn.modules.linear.Identity");
        config.put("module_input_name", "token_embeddings");
        config.put("module_output_name", "token_embeddings");
        write(folder.resolve("config.json"), config);
        Random random = new Random(seed);
        float[] weight = new float[in * out];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() / Math.sqrt(in));
        }
        SafeTensors.write(folder.resolve("model.safetensors"),
                Map.of("linear.weight", new SafeTensors.Tensor(new long[] {out, in}, weight)));
    }

    /** Adds [Q] and [D] as special tokens with new ids and word embedding rows, as PyLate resizes the embeddings. */
    private static void addPrefixTokens(Path folder, long seed) throws IOException {
        Path checkpoint = folder.resolve("model.safetensors");
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(Files.readAllBytes(checkpoint), "fixture"));
        String name = tensors.keySet().stream().filter(k -> k.endsWith("embeddings.word_embeddings.weight")
                || k.endsWith("embeddings.tok_embeddings.weight")).findFirst().orElseThrow();
        SafeTensors.Tensor words = tensors.get(name);
        int vocabulary = (int) words.shape()[0];
        int hidden = (int) words.shape()[1];
        float[] grown = Arrays.copyOf(words.values(), (vocabulary + 2) * hidden);
        Random random = new Random(seed);
        for (int i = vocabulary * hidden; i < grown.length; i++) {
            grown[i] = (float) random.nextGaussian() * 0.25f;
        }
        tensors.put(name, new SafeTensors.Tensor(new long[] {vocabulary + 2, hidden}, grown));
        SafeTensors.write(checkpoint, tensors);
        edit(folder.resolve("config.json"), config -> config.put("vocab_size", vocabulary + 2));
        edit(folder.resolve("tokenizer.json"), tokenizer -> {
            ArrayNode added = (ArrayNode) tokenizer.get("added_tokens");
            for (String token : List.of("[Q]", "[D]")) {
                added.addObject().put("id", vocabulary + added.size() - baseAdded(tokenizer)).put("content", token)
                        .put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", false)
                        .put("special", true);
            }
        });
    }

    /** How many added tokens the fixture's tokenizer had before [Q] and [D]. */
    private static int baseAdded(ObjectNode tokenizer) {
        int count = 0;
        for (var token : tokenizer.get("added_tokens")) {
            if (!List.of("[Q]", "[D]").contains(token.path("content").asText())) {
                count++;
            }
        }
        return count;
    }

    static void write(Path file, Object json) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
