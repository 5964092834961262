package dev.sentence4j;

import static dev.sentence4j.TinyFolders.ids;
import static dev.sentence4j.TinyFolders.module;
import static dev.sentence4j.TinyFolders.row;
import static dev.sentence4j.TinyFolders.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.weights.SafeTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * StaticEmbedding, on random tables in the three layouts its folders come in, each checked against the
 * mean of the table's rows computed here by a plain loop over the words of each text.
 */
class StaticEmbeddingTest {
    private static final int WORDS = 20;
    private static final int DIMENSION = 8;
    private static final List<String> VOCABULARY = TinyFolders.vocabulary(WORDS);
    private static final float[] TABLE = TinyFolders.random(VOCABULARY.size() * DIMENSION, 7);
    /** Repeats count twice in the mean; an unknown word is [UNK]; an empty text has no tokens. */
    private static final List<String> TEXTS = List.of("w1 w2 w3", "w5", "w7 w7 w2 w19", "nothing-known w3", "", "w0");

    @TempDir
    Path temp;

    /** The layouts: sentence-transformers 6 at the root, 3.x to 5.x in 0_StaticEmbedding, model2vec's at "." */
    enum Layout {
        ST6("", "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding",
                "sentence_transformers.base.modules.normalize.Normalize", "embedding.weight"),
        ST5("0_StaticEmbedding", "sentence_transformers.models.StaticEmbedding", "sentence_transformers.models.Normalize",
                "embedding.weight"),
        MODEL2VEC(".", "sentence_transformers.models.StaticEmbedding", "sentence_transformers.models.Normalize", "embeddings");

        final String path;
        final String type;
        final String normalize;
        final String tensor;

        Layout(String path, String type, String normalize, String tensor) {
            this.path = path;
            this.type = type;
            this.normalize = normalize;
            this.tensor = tensor;
        }
    }

    private Path folder(Layout layout, boolean normalize, float[] table, int rows) {
        Path folder = temp.resolve(layout.name() + normalize + rows);
        Path module = layout.path.equals(".") ? folder : folder.resolve(layout.path);
        TinyFolders.writeTokenizer(module, VOCABULARY);
        TinyFolders.writeWeights(module, Map.of(layout.tensor, new SafeTensors.Tensor(new long[] {rows, DIMENSION}, table)));
        List<Map<String, Object>> modules = normalize
                ? List.of(module(0, layout.path, layout.type), module(1, "1_Normalize", layout.normalize))
                : List.of(module(0, layout.path, layout.type));
        TinyFolders.writeJson(folder.resolve("modules.json"), modules);
        if (layout == Layout.MODEL2VEC) {
            // model2vec's own config, which sentence-transformers does not read.
            TinyFolders.writeJson(folder.resolve("config.json"), Map.of("model_type", "model2vec", "architectures",
                    List.of("StaticModel"), "hidden_dim", DIMENSION, "normalize", normalize));
        } else {
            TinyFolders.writeSentenceTransformersConfig(folder, "SentenceTransformer", "cosine");
        }
        return folder;
    }

    /** The mean of each word's row, as EmbeddingBag(mode="mean") gives it; zero for no words. */
    private static float[] expected(String text, boolean normalize) {
        int[] ids = ids(VOCABULARY, text);
        double[] sum = new double[DIMENSION];
        for (int id : ids) {
            float[] vector = row(TABLE, DIMENSION, id);
            for (int d = 0; d < DIMENSION; d++) {
                sum[d] += vector[d];
            }
        }
        float[] mean = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            mean[d] = ids.length == 0 ? 0 : (float) (sum[d] / ids.length);
        }
        return normalize ? unit(mean) : mean;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void eachTextIsTheMeanOfItsTokensRowsWithoutSpecialTokens(Layout layout) {
        for (boolean normalize : List.of(false, true)) {
            try (SentenceTransformer model = SentenceTransformer.load(folder(layout, normalize, TABLE, VOCABULARY.size())
                    .toString())) {
                float[][] vectors = model.encode(TEXTS);
                for (int i = 0; i < TEXTS.size(); i++) {
                    VectorAssertions.assertClose(vectors[i], expected(TEXTS.get(i), normalize), 1e-6);
                }
                assertThat(model.dimension()).isEqualTo(DIMENSION);
                assertThat(model.normalizes()).isEqualTo(normalize);
                ModelInfo info = model.describe();
                assertThat(info.onnxFile()).isEmpty();
                assertThat(info.modules().get(0)).isEqualTo("StaticEmbedding");
            }
        }
    }

    @Test
    void theMeanIsAFloat32SumInTokenOrderScaledOnceAsEmbeddingBagTakesIt() {
        java.util.Random random = new java.util.Random(5);
        List<String> texts = new java.util.ArrayList<>();
        for (int length = 1; length <= 40; length++) {
            List<String> words = new java.util.ArrayList<>();
            for (int w = 0; w < length; w++) {
                words.add("w" + random.nextInt(WORDS));
            }
            texts.add(String.join(" ", words));
        }
        try (SentenceTransformer model = SentenceTransformer.load(folder(Layout.ST6, false, TABLE, VOCABULARY.size())
                .toString())) {
            float[][] vectors = model.encode(texts);

            for (int i = 0; i < texts.size(); i++) {
                int[] ids = ids(VOCABULARY, texts.get(i));
                float[] sum = new float[DIMENSION];
                for (int id : ids) {
                    float[] vector = row(TABLE, DIMENSION, id);
                    for (int d = 0; d < DIMENSION; d++) {
                        sum[d] += vector[d];
                    }
                }
                for (int d = 0; ids.length > 1 && d < DIMENSION; d++) {
                    sum[d] *= 1f / ids.length;
                }
                assertThat(vectors[i]).as("text of %d tokens", ids.length).isEqualTo(sum);
            }
        }
    }

    @Test
    void aCallOfManyTextsTokenizedOnSeveralWorkersGivesEachTextItsOwnVector() {
        java.util.Random random = new java.util.Random(11);
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<String> words = new java.util.ArrayList<>();
            for (int w = random.nextInt(12); w >= 0; w--) {
                words.add(VOCABULARY.get(random.nextInt(VOCABULARY.size())));
            }
            texts.add(String.join(" ", words));
        }
        try (SentenceTransformer model = SentenceTransformer.load(folder(Layout.ST6, true, TABLE, VOCABULARY.size())
                .toString(), LoadOptions.defaults().withThreads(3))) {
            float[][] vectors = model.encode(texts);

            for (int i = 0; i < texts.size(); i++) {
                VectorAssertions.assertClose(vectors[i], expected(texts.get(i), true), 1e-6);
                assertThat(vectors[i]).as("text %d", i).isEqualTo(model.encode(List.of(texts.get(i)))[0]);
            }
        }
    }

    @Test
    void aTextLongerThanAnyTransformerTakesIsNotTruncated() {
        String text = String.join(" ", java.util.Collections.nCopies(3000, "w4")) + " w9";
        try (SentenceTransformer model = SentenceTransformer.load(folder(Layout.ST6, false, TABLE, VOCABULARY.size())
                .toString())) {
            EncodeResult result = model.encodeWithDetails(List.of(text), EncodeOptions.defaults());

            assertThat(result.truncated()[0]).isFalse();
            assertThat(result.tokenCounts()[0]).isEqualTo(3001);
            // 3,001 float32 additions, as PyTorch sums, against this test's double-precision sum.
            VectorAssertions.assertClose(result.vectors()[0], expected(text, false), 1e-4);
        }
    }

    @Test
    void aTokenIdOutsideTheTableIsNamedWithTheTable() {
        int rows = VOCABULARY.size() - 5;
        Path folder = folder(Layout.MODEL2VEC, false, java.util.Arrays.copyOf(TABLE, rows * DIMENSION), rows);
        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.encode(List.of("w1 w2"))[0]).hasSize(DIMENSION);

            assertThatThrownBy(() -> model.encode(List.of("w1 w19")))
                    .hasMessageContaining(folder.resolve("tokenizer.json").toString().replace(folder + "/", ""))
                    .hasMessageContaining("token id " + VOCABULARY.indexOf("w19"))
                    .hasMessageContaining("'embeddings' of " + rows + " rows in " + folder.resolve("model.safetensors"));
        }
    }

    @Test
    void aTableWhoseWidthDisagreesWithTheNextModuleIsNamedWithTheField() {
        Path folder = folder(Layout.ST6, false, TABLE, VOCABULARY.size());
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(module(0, "", Layout.ST6.type),
                module(1, "1_Dense", "sentence_transformers.base.modules.dense.Dense")));
        TinyFolders.writeJson(folder.resolve("1_Dense/config.json"), Map.of("in_features", 6, "out_features", 4,
                "bias", false, "activation_function", "torch.nn.modules.linear.Identity"));
        TinyFolders.writeWeights(folder.resolve("1_Dense"), Map.of("linear.weight",
                new SafeTensors.Tensor(new long[] {4, 6}, TinyFolders.random(24, 3))));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("1_Dense/config.json") + ": in_features is 6 but the module before it gives"
                        + " vectors of " + DIMENSION);
    }

    @Test
    void aTableUnderAnotherNameIsRefusedNamingTheNamesLookedFor() {
        Path folder = folder(Layout.ST5, false, TABLE, VOCABULARY.size());
        TinyFolders.writeWeights(folder.resolve("0_StaticEmbedding"), Map.of("weight",
                new SafeTensors.Tensor(new long[] {VOCABULARY.size(), DIMENSION}, TABLE)));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("0_StaticEmbedding/model.safetensors").toString())
                .hasMessageContaining("embedding.weight, embeddings");
    }
}
