package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.similarity.MultiVectorSimilarity;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MultiVectorEncoder on ColBERT folders in sentence-transformers 6's layout (see {@link MultiVectorFolders}).
 * The expected token vectors are made here step by step, as sentence-transformers' source describes them,
 * without the code under test: the prompt prepended and the text tokenized whole by a plain tokenizer, cut
 * by hand to the role's length keeping [SEP], a query padded with [MASK] to 32 tokens left unattended; the
 * transformer run on that batch; each kept position's vector projected with the Dense weights read from
 * the folder and normalized in double precision; a document's punctuation positions dropped by looking
 * the ids up in tokenizer.json.
 */
class MultiVectorEncoderTest {
    private static final List<String> QUERIES = List.of("How old is the Earth?",
            "what is the capital of france, and which river flows through it, and how many people live there today in all");
    private static final List<String> DOCUMENTS = List.of("Paris, the capital: of France!",
            "The Earth is about 4.5 billion years old; scientists dated it with rocks and meteorites.",
            "Rivers (like the Seine) flow through many cities. " + "Water moves to the sea again and again. ".repeat(8));

    @TempDir
    Path temp;

    @Test
    void tokenVectorsAreTheTransformersProjectedAndNormalizedWithExpansionAndSkiplist() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "colbert", MultiVectorFolders.Spec.bert());
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            assertThat(model.dimension()).isEqualTo(MultiVectorFolders.PROJECTION);
            assertThat(model.similarityFunction()).isEqualTo(MultiVectorSimilarity.MAXSIM);
            List<float[][]> queries = model.encodeQuery(QUERIES);
            List<float[][]> documents = model.encodeDocument(DOCUMENTS);
            Expected expected = new Expected(folder, false);
            for (int i = 0; i < QUERIES.size(); i++) {
                // Every query is 32 vectors: its tokens and the [MASK] expansion, the long one cut to 32.
                assertThat(queries.get(i)).hasNumberOfRows(32);
                assertClose(queries.get(i), expected.query(QUERIES.get(i)), 1e-5);
            }
            for (int i = 0; i < DOCUMENTS.size(); i++) {
                assertClose(documents.get(i), expected.document(DOCUMENTS.get(i)), 1e-5);
            }
            // The long document is cut to 64 tokens, and its 3 punctuation marks before that are dropped.
            assertThat(documents.get(2).length).isLessThan(64).isGreaterThan(50);
            for (float[] vector : documents.get(1)) {
                assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            // One at a time gives the same vectors as a batch.
            for (int i = 0; i < DOCUMENTS.size(); i++) {
                assertClose(model.encodeDocument(List.of(DOCUMENTS.get(i))).get(0), documents.get(i), 1e-5);
            }
        }
    }

    @Test
    void attendedExpansionTokensAreSeenByTheTransformer() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "attend", MultiVectorFolders.Spec.bert().withExpansion(24, true));
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            float[][] query = model.encodeQuery(List.of(QUERIES.get(0))).get(0);
            assertThat(query).hasNumberOfRows(24);
            assertClose(query, new Expected(folder, true).query(QUERIES.get(0), 24), 1e-5);
        }
    }

    @Test
    void similarityIsMaxSimOverTheEncodedTokensAndRankSortsByIt() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "colbert", MultiVectorFolders.Spec.bert());
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            List<float[][]> queries = model.encodeQuery(QUERIES);
            List<float[][]> documents = model.encodeDocument(DOCUMENTS);
            float[][] scores = model.similarity(queries, documents);
            for (int i = 0; i < queries.size(); i++) {
                for (int j = 0; j < documents.size(); j++) {
                    assertThat((double) scores[i][j]).isCloseTo(plainMaxSim(queries.get(i), documents.get(j)),
                            org.assertj.core.data.Offset.offset(1e-4));
                }
            }
            List<RankedText> ranked = model.rank(QUERIES.get(0), DOCUMENTS, 2);
            assertThat(ranked).hasSize(2);
            Integer[] order = {0, 1, 2};
            Arrays.sort(order, (a, b) -> Float.compare(scores[0][b], scores[0][a]));
            assertThat(ranked.get(0).index()).isEqualTo(order[0]);
            assertThat(ranked.get(1).index()).isEqualTo(order[1]);
            assertThat(ranked.get(0).score()).isCloseTo(scores[0][order[0]], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void meanMaxSimDividesByTheQueryTokens() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "mean", MultiVectorFolders.Spec.bert().withSimilarity("meanmaxsim"));
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            assertThat(model.similarityFunction()).isEqualTo(MultiVectorSimilarity.MEAN_MAXSIM);
            float[][] query = model.encodeQuery(List.of(QUERIES.get(0))).get(0);
            float[][] document = model.encodeDocument(List.of(DOCUMENTS.get(1))).get(0);
            assertThat((double) model.similarity(List.<float[][]>of(query), List.<float[][]>of(document))[0][0])
                    .isCloseTo(plainMaxSim(query, document) / 32, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void modernBertFromItsCheckpointKeepsTheSpecialPrefixTokensWhole() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "modern", MultiVectorFolders.Spec.modernBert());
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            assertThat(model.transformer().builtFromCheckpoint()).isTrue();
            assertThat(model.tokenizer(TextRole.QUERY).tokens("[Q] hello")).contains("[Q]");
            Expected expected = new Expected(folder, false);
            List<float[][]> queries = model.encodeQuery(QUERIES);
            for (int i = 0; i < QUERIES.size(); i++) {
                assertClose(queries.get(i), expected.query(QUERIES.get(i)), 1e-4);
            }
            List<float[][]> documents = model.encodeDocument(DOCUMENTS);
            for (int i = 0; i < DOCUMENTS.size(); i++) {
                assertClose(documents.get(i), expected.document(DOCUMENTS.get(i)), 1e-4);
            }
        }
    }

    @Test
    void aPyLate3FolderGivesTheVectorsOfTheSameModelSavedBySentenceTransformers6() throws IOException {
        MultiVectorFolders.Spec spec = MultiVectorFolders.Spec.bert().withSpecialPrefixes();
        Path native6 = MultiVectorFolders.colbert(temp, "native", spec);
        Path pyLate = MultiVectorFolders.colbert(temp, "pylate", spec);
        // PyLate 3: two modules, the Dense of its own package naming no feature, settings at the top level.
        MultiVectorFolders.write(pyLate.resolve("modules.json"), MultiVectorFolders.JSON.readTree("""
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Dense", "type": "pylate.models.Dense.Dense"}]"""));
        MultiVectorFolders.edit(pyLate.resolve("1_Dense/config.json"), c -> {
            c.remove("module_input_name");
            c.remove("module_output_name");
        });
        MultiVectorFolders.edit(pyLate.resolve("sentence_bert_config.json"), c -> {
            c.remove("query_expansion");
            c.remove("document_length");
        });
        MultiVectorFolders.write(pyLate.resolve("config_sentence_transformers.json"), MultiVectorFolders.JSON.readTree("""
                {"__version__": {"pylate": "1.2.0"}, "model_type": "ColBERT", "prompts": {}, "default_prompt_name": null,
                 "similarity_fn_name": "MaxSim", "query_prefix": "[Q] ", "document_prefix": "[D] ", "query_length": 32,
                 "document_length": 64, "attend_to_expansion_tokens": false, "skiplist_words": null}"""));
        try (MultiVectorEncoder expected = MultiVectorEncoder.load(native6.toString());
                MultiVectorEncoder model = MultiVectorEncoder.load(pyLate.toString())) {
            assertThat(model.prompts()).containsEntry("query", "[Q] ").containsEntry("document", "[D] ");
            assertThat(model.lengths()).isEqualTo(expected.lengths());
            List<float[][]> queries = model.encodeQuery(QUERIES);
            List<float[][]> documents = model.encodeDocument(DOCUMENTS);
            for (int i = 0; i < QUERIES.size(); i++) {
                assertClose(queries.get(i), expected.encodeQuery(QUERIES).get(i), 1e-6);
            }
            for (int i = 0; i < DOCUMENTS.size(); i++) {
                assertClose(documents.get(i), expected.encodeDocument(DOCUMENTS).get(i), 1e-6);
            }
        }
    }

    @Test
    void aQueryLengthNoLongerThanItsPromptIsRefusedNamingFileFieldAndValue() {
        Path folder = MultiVectorFolders.colbert(temp, "short", MultiVectorFolders.Spec.bert().withExpansion(4, false));
        // "[Q] " is "[", "q", "]" for this tokenizer: with [CLS] and [SEP], 5 tokens.
        assertThatThrownBy(() -> MultiVectorEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("sentence_bert_config.json")
                .hasMessageContaining("query_expansion.length is 4")
                .hasMessageContaining("'[Q] '");
    }

    @Test
    void aProjectionWiderOrNarrowerThanTheTransformerIsRefused() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "width", MultiVectorFolders.Spec.bert());
        MultiVectorFolders.dense(folder.resolve("1_Dense"), 24, 16, 3);
        assertThatThrownBy(() -> MultiVectorEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("1_Dense")
                .hasMessageContaining("config.json")
                .hasMessageContaining("in_features is 24")
                .hasMessageContaining("32 (the transformer's hidden size)");
    }

    @Test
    void aDenseOnTheSentenceEmbeddingIsRefused() {
        Path folder = MultiVectorFolders.colbert(temp, "sentence", MultiVectorFolders.Spec.bert());
        MultiVectorFolders.edit(folder.resolve("1_Dense/config.json"), c -> c.put("module_input_name", "sentence_embedding"));
        assertThatThrownBy(() -> MultiVectorEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("module_input_name is 'sentence_embedding'");
    }

    @Test
    void aDocumentWhoseEveryTokenIsMaskedHasNoVectorsAndScoresBelowEveryOther() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "empty", MultiVectorFolders.Spec.bert());
        MultiVectorFolders.edit(folder.resolve("2_MultiVectorMask/config.json"),
                c -> ((com.fasterxml.jackson.databind.node.ArrayNode) c.get("skiplist_words")).add("[CLS]").add("[SEP]").add("d"));
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            List<float[][]> documents = model.encodeDocument(List.of("!?!", "rocks!"));
            assertThat(documents.get(0)).isEmpty();
            assertThat(documents.get(1)).isNotEmpty();
            float[][] scores = model.similarity(model.encodeQuery(List.of("rocks")), documents);
            assertThat(scores[0][0]).isEqualTo(MultiVectorSimilarity.EMPTY_DOCUMENT_SCORE);
            assertThat(scores[0][1]).isGreaterThan(scores[0][0]);
        }
    }

    @Test
    void aSentenceTransformerFolderIsNotLoadedAsMultiVector() {
        Path folder = ModelFolders.st6(temp, "seed-bert-mean", "dense");
        assertThatThrownBy(() -> MultiVectorEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("this is a SentenceTransformer model; load it with SentenceTransformer");
    }

    static double plainMaxSim(float[][] query, float[][] document) {
        double total = 0;
        for (float[] q : query) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] d : document) {
                double dot = 0;
                for (int k = 0; k < q.length; k++) {
                    dot += (double) q[k] * d[k];
                }
                best = Math.max(best, dot);
            }
            total += best;
        }
        return total;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /** The expected token vectors of a folder, made without the code under test but for the transformer's graph. */
    private static final class Expected {
        private final Path folder;
        private final boolean attend;
        private final float[] projection;
        private final int hidden;
        private final Set<Long> punctuation = new HashSet<>();
        private final long cls;
        private final long sep;
        private final long mask;

        Expected(Path folder, boolean attend) throws IOException {
            this.folder = folder;
            this.attend = attend;
            SafeTensors.Tensor weight = SafeTensors.read(Files.readAllBytes(folder.resolve("1_Dense/model.safetensors")), "dense")
                    .get("linear.weight");
            projection = weight.values();
            hidden = (int) weight.shape()[1];
            JsonNode tokenizer = MultiVectorFolders.JSON.readTree(folder.resolve("tokenizer.json").toFile());
            JsonNode vocab = tokenizer.path("model").path("vocab");
            for (char c : MultiVectorFolders.PUNCTUATION.toCharArray()) {
                if (vocab.has(String.valueOf(c))) {
                    punctuation.add(vocab.get(String.valueOf(c)).asLong());
                }
            }
            cls = id(tokenizer, "[CLS]");
            sep = id(tokenizer, "[SEP]");
            mask = id(tokenizer, "[MASK]");
        }

        private static long id(JsonNode tokenizer, String token) {
            for (JsonNode added : tokenizer.path("added_tokens")) {
                if (added.path("content").asText().equals(token)) {
                    return added.path("id").asLong();
                }
            }
            throw new AssertionError(token);
        }

        float[][] query(String text) {
            return query(text, 32);
        }

        float[][] query(String text, int length) {
            long[] ids = cut(tokens("[Q] " + text), length);
            long[] padded = Arrays.copyOf(ids, length);
            long[] attention = new long[length];
            Arrays.fill(padded, ids.length, length, mask);
            Arrays.fill(attention, 0, ids.length, 1);
            if (attend) {
                Arrays.fill(attention, 1);
            }
            TokenEmbeddings out = run(padded, attention);
            List<float[]> vectors = new ArrayList<>();
            for (int t = 0; t < length; t++) {
                vectors.add(projectAndNormalize(out.vector(0, t)));
            }
            return vectors.toArray(new float[0][]);
        }

        float[][] document(String text) {
            long[] ids = cut(tokens("[D] " + text), 64);
            long[] attention = new long[ids.length];
            Arrays.fill(attention, 1);
            TokenEmbeddings out = run(ids, attention);
            List<float[]> vectors = new ArrayList<>();
            for (int t = 0; t < ids.length; t++) {
                if (!punctuation.contains(ids[t])) {
                    vectors.add(projectAndNormalize(out.vector(0, t)));
                }
            }
            return vectors.toArray(new float[0][]);
        }

        private long[] tokens(String text) {
            try (Tokenizer tokenizer = Tokenizer.load(folder.resolve("tokenizer.json"), new TokenizerSettings(10_000, false))) {
                long[] ids = tokenizer.tokenize(List.of(text)).get(0).ids();
                assertThat(ids[0]).isEqualTo(cls);
                assertThat(ids[ids.length - 1]).isEqualTo(sep);
                return ids;
            }
        }

        /** The first tokens and [SEP], as the tokenizer truncates one text to {@code length}. */
        private long[] cut(long[] ids, int length) {
            if (ids.length <= length) {
                return ids;
            }
            long[] cut = Arrays.copyOf(ids, length);
            cut[length - 1] = sep;
            return cut;
        }

        private TokenEmbeddings run(long[] ids, long[] attention) {
            ModelFiles files = ModelFiles.folder(folder);
            try (Transformer transformer = Transformer.readMultiVector(ModuleFolder.implied(files, 0, "Transformer"),
                    ModuleTypes.transformerOptions(LoadOptions.defaults()))) {
                return transformer.run(new BatchEncoding(ids, attention, new long[ids.length], 1, ids.length));
            }
        }

        private float[] projectAndNormalize(float[] token) {
            int out = projection.length / hidden;
            double[] projected = new double[out];
            double norm = 0;
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < hidden; i++) {
                    projected[o] += (double) projection[o * hidden + i] * token[i];
                }
                norm += projected[o] * projected[o];
            }
            float[] vector = new float[out];
            for (int o = 0; o < out; o++) {
                vector[o] = (float) (projected[o] / Math.sqrt(norm));
            }
            return vector;
        }
    }
}
