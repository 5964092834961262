package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.multivector.QueryExpansion;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MultiVectorEncoder on Stanford ColBERT checkpoints, in the layout stanford-futuredata/ColBERT's
 * {@code HF_ColBERT.save_pretrained} writes (colbert-ir/colbertv2.0): no {@code modules.json}; a
 * {@code config.json} naming the architecture {@code HF_ColBERT}; one checkpoint holding the encoder under
 * {@code bert.} and the projection {@code linear.weight} beside it; {@code artifact.metadata} with
 * {@code query_maxlen}, {@code doc_maxlen}, {@code mask_punctuation}, {@code attend_to_mask_tokens}; the
 * BERT vocabulary's {@code [unused0]}/{@code [unused1]} as the query and document markers. Built here from
 * the BERT fixture with random weights for the projection and the two marker rows.
 *
 * <p>The expected vectors follow Stanford ColBERT's own tokenization, not sentence-transformers': the text
 * is tokenized as {@code ". " + text} by a plain tokenizer, the {@code "."} after {@code [CLS]} replaced by
 * the marker's id, cut to the length keeping {@code [SEP]}; a query padded with {@code [MASK]} to
 * {@code query_maxlen} unattended; a document's punctuation ids dropped. The transformer runs that batch,
 * and each kept vector is projected with the checkpoint's {@code linear.weight} and normalized in double
 * precision here.
 */
class StanfordColbertTest {
    private static final int OUT = 16;
    private static final List<String> QUERIES = List.of("How old is the Earth?",
            "what is the capital of france and which river flows through it and how many people live there today");
    private static final List<String> DOCUMENTS = List.of("Paris, the capital: of France!",
            "The Earth is about 4.5 billion years old; scientists dated it with rocks and meteorites, "
                    + "and with the oldest minerals found in Australia, which are older than every rock we know.",
            "...");

    @TempDir
    Path temp;

    @Test
    void loadsAsSentenceTransformers6DoesAndGivesStanfordColbertsVectors() throws IOException {
        Path folder = stanford("colbert", Map.of("query_maxlen", 24, "doc_maxlen", 40, "mask_punctuation", true,
                "attend_to_mask_tokens", false, "similarity", "cosine", "dim", OUT));
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            ModelInfo info = model.describe();
            assertThat(info.family()).isEqualTo(ModelFamily.MULTI_VECTOR_ENCODER);
            assertThat(info.format()).isEqualTo(FolderFormat.PLAIN);
            assertThat(info.dimension()).isEqualTo(OUT);
            assertThat(info.prompts()).containsEntry("query", "[unused0] ").containsEntry("document", "[unused1] ");
            assertThat(info.modules()).hasSize(4).element(1).asString().isEqualTo("Dense(32 -> 16, identity, no bias)");
            assertThat(model.lengths().expansion()).contains(new QueryExpansion(QueryExpansion.Strategy.FIXED, false, null, 24));
            assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(40);
            assertThat(model.transformer().builtFromCheckpoint()).isTrue();

            Expected expected = new Expected(folder, 24, 40, false, true);
            List<float[][]> queries = model.encodeQuery(QUERIES);
            for (int i = 0; i < QUERIES.size(); i++) {
                assertThat(queries.get(i)).hasNumberOfRows(24);
                assertClose(queries.get(i), expected.query(QUERIES.get(i)), 1e-4);
            }
            List<float[][]> documents = model.encodeDocument(DOCUMENTS);
            for (int i = 0; i < DOCUMENTS.size(); i++) {
                assertClose(documents.get(i), expected.document(DOCUMENTS.get(i)), 1e-4);
            }
            // "..." keeps [CLS], its marker and [SEP]: the dots are punctuation.
            assertThat(documents.get(2)).hasNumberOfRows(3);
            assertThat(documents.get(1)).hasNumberOfRows(expected.document(DOCUMENTS.get(1)).length);
        }
    }

    @Test
    void attendedMaskTokensAndKeptPunctuationAreAsTheMetadataSays() throws IOException {
        Path folder = stanford("attend", Map.of("query_maxlen", 20, "doc_maxlen", 200, "mask_punctuation", false,
                "attend_to_mask_tokens", true));
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            Expected expected = new Expected(folder, 20, 200, true, false);
            assertClose(model.encodeQuery(QUERIES).get(0), expected.query(QUERIES.get(0)), 1e-4);
            float[][] document = model.encodeDocument(List.of(DOCUMENTS.get(0))).get(0);
            assertClose(document, expected.document(DOCUMENTS.get(0)), 1e-4);
            assertThat(document).hasNumberOfRows(expected.tokens(DOCUMENTS.get(0)).length);
        }
    }

    @Test
    void withoutArtifactMetadataTheDefaultsApply() throws IOException {
        Path folder = stanford("defaults", Map.of());
        Files.delete(folder.resolve("artifact.metadata"));
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            Expected expected = new Expected(folder, 32, 128, false, true);
            assertThat(model.encodeQuery(QUERIES).get(0)).hasNumberOfRows(32);
            assertClose(model.encodeQuery(QUERIES).get(0), expected.query(QUERIES.get(0)), 1e-4);
            assertClose(model.encodeDocument(DOCUMENTS).get(0), expected.document(DOCUMENTS.get(0)), 1e-4);
        }
    }

    @Test
    void aCheckpointWithoutTheProjectionIsRefusedNamingTheFileAndTensor() throws IOException {
        Path folder = stanford("noprojection", Map.of("query_maxlen", 24));
        Path checkpoint = folder.resolve("model.safetensors");
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(Files.readAllBytes(checkpoint), "test"));
        tensors.remove("linear.weight");
        SafeTensors.write(checkpoint, tensors);
        assertThatThrownBy(() -> MultiVectorEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("'linear.weight'");
    }

    @Test
    void aStanfordCheckpointIsNotASentenceTransformer() {
        Path folder = stanford("family", Map.of());
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("MultiVectorEncoder");
    }

    /**
     * A Stanford ColBERT folder made from the BERT fixture: its encoder's tensors under {@code bert.}, two
     * vocabulary entries {@code [unused0]}, {@code [unused1]} with random rows, a random projection
     * {@code linear.weight} [16, 32] in the same checkpoint, {@code architectures: ["HF_ColBERT"]}, and
     * {@code artifact.metadata} holding {@code metadata}.
     */
    private Path stanford(String name, Map<String, Object> metadata) {
        try {
            Path folder = ModelFolders.st6(temp, "seed-bert-mean", name);
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
            float[] projection = new float[OUT * 32];
            for (int i = 0; i < projection.length; i++) {
                projection[i] = (float) (random.nextGaussian() / Math.sqrt(32));
            }
            tensors.put("linear.weight", new SafeTensors.Tensor(new long[] {OUT, 32}, projection));
            SafeTensors.write(checkpoint, tensors);
            MultiVectorFolders.edit(folder.resolve("config.json"), config -> {
                config.putArray("architectures").add("HF_ColBERT");
                config.put("vocab_size", 1502);
            });
            MultiVectorFolders.edit(folder.resolve("tokenizer.json"), tokenizer -> {
                ObjectNode vocab = (ObjectNode) tokenizer.path("model").path("vocab");
                vocab.put("[unused0]", 1500);
                vocab.put("[unused1]", 1501);
            });
            ObjectNode artifact = MultiVectorFolders.JSON.createObjectNode();
            artifact.put("query_token_id", "[unused0]");
            artifact.put("doc_token_id", "[unused1]");
            metadata.forEach((key, value) -> artifact.set(key, MultiVectorFolders.JSON.valueToTree(value)));
            MultiVectorFolders.write(folder.resolve("artifact.metadata"), artifact);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The token vectors Stanford ColBERT gives, made without the code under test but for the transformer's graph. */
    private static final class Expected {
        private final Path folder;
        private final int queryLength;
        private final int documentLength;
        private final boolean attend;
        private final boolean maskPunctuation;
        private final float[] projection;
        private final List<Long> punctuation = new ArrayList<>();
        private final long dot;
        private final long sep;
        private final long mask;

        Expected(Path folder, int queryLength, int documentLength, boolean attend, boolean maskPunctuation) throws IOException {
            this.folder = folder;
            this.queryLength = queryLength;
            this.documentLength = documentLength;
            this.attend = attend;
            this.maskPunctuation = maskPunctuation;
            projection = SafeTensors.read(Files.readAllBytes(folder.resolve("model.safetensors")), "test")
                    .get("linear.weight").values();
            JsonNode tokenizer = MultiVectorFolders.JSON.readTree(folder.resolve("tokenizer.json").toFile());
            JsonNode vocab = tokenizer.path("model").path("vocab");
            for (char c : MultiVectorFolders.PUNCTUATION.toCharArray()) {
                if (vocab.has(String.valueOf(c))) {
                    punctuation.add(vocab.get(String.valueOf(c)).asLong());
                }
            }
            dot = vocab.get(".").asLong();
            sep = 3;
            mask = 4;
            assertThat(tokenizer.path("added_tokens").get((int) sep).path("content").asText()).isEqualTo("[SEP]");
            assertThat(tokenizer.path("added_tokens").get((int) mask).path("content").asText()).isEqualTo("[MASK]");
        }

        float[][] query(String text) {
            long[] ids = tokens(". " + text, 1500, queryLength);
            long[] padded = Arrays.copyOf(ids, queryLength);
            long[] attention = new long[queryLength];
            Arrays.fill(padded, ids.length, queryLength, mask);
            Arrays.fill(attention, 0, attend ? queryLength : ids.length, 1);
            TokenEmbeddings out = run(padded, attention);
            float[][] vectors = new float[queryLength][];
            for (int t = 0; t < queryLength; t++) {
                vectors[t] = projectAndNormalize(out.vector(0, t));
            }
            return vectors;
        }

        /** A document's ids, as Stanford ColBERT makes them. */
        long[] tokens(String text) {
            return tokens(". " + text, 1501, documentLength);
        }

        float[][] document(String text) {
            long[] ids = tokens(text);
            long[] attention = new long[ids.length];
            Arrays.fill(attention, 1);
            TokenEmbeddings out = run(ids, attention);
            List<float[]> vectors = new ArrayList<>();
            for (int t = 0; t < ids.length; t++) {
                if (!(maskPunctuation && punctuation.contains(ids[t]))) {
                    vectors.add(projectAndNormalize(out.vector(0, t)));
                }
            }
            return vectors.toArray(new float[0][]);
        }

        /** {@code text} tokenized whole, the token after [CLS] (the ".") made the marker, cut to {@code length} keeping [SEP]. */
        private long[] tokens(String text, long marker, int length) {
            try (Tokenizer tokenizer = Tokenizer.load(folder.resolve("tokenizer.json"), new TokenizerSettings(10_000, false))) {
                long[] ids = tokenizer.tokenize(List.of(text)).get(0).ids();
                assertThat(ids[1]).isEqualTo(dot);
                ids[1] = marker;
                if (ids.length > length) {
                    ids = Arrays.copyOf(ids, length);
                    ids[length - 1] = sep;
                }
                return ids;
            }
        }

        private TokenEmbeddings run(long[] ids, long[] attention) {
            try (Transformer transformer = Transformer.readMultiVector(ModuleFolder.implied(ModelFiles.folder(folder), 0,
                    "Transformer"), ModuleTypes.transformerOptions(LoadOptions.defaults()))) {
                return transformer.run(new BatchEncoding(ids, attention, new long[ids.length], 1, ids.length));
            }
        }

        private float[] projectAndNormalize(float[] token) {
            int hidden = token.length;
            double[] projected = new double[OUT];
            double norm = 0;
            for (int o = 0; o < OUT; o++) {
                for (int i = 0; i < hidden; i++) {
                    projected[o] += (double) projection[o * hidden + i] * token[i];
                }
                norm += projected[o] * projected[o];
            }
            float[] vector = new float[OUT];
            for (int o = 0; o < OUT; o++) {
                vector[o] = (float) (projected[o] / Math.sqrt(norm));
            }
            return vector;
        }
    }
}
