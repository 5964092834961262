package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.io.Npy;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.pool.PoolingMode;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.transformer.TinyOnnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The nine embedding models of {@code shared/fixtures/st6}, saved by the real sentence-transformers 6.0.1,
 * give the tokens and vectors it gave: seven architectures, Dense, several pooling modes, prompts, dot
 * similarity and truncation. Each model is loaded once for the class.
 */
class SentenceTransformers6Test {
    static final List<String> MODELS = List.of("seed-bert-mean", "seed-distilbert-mean", "bert-cls-dense-lower",
            "roberta-mean", "xlmr-mean", "mpnet-mean", "modernbert-mean", "qwen3-lasttoken", "bert-maxpool-multi");
    private static final Map<String, SentenceTransformer> LOADED = new LinkedHashMap<>();
    private static List<String> texts;

    @BeforeAll
    static void load() {
        texts = Shared.lines("fixtures/st6/public.txt");
        for (String name : MODELS) {
            LOADED.put(name, SentenceTransformer.load(folder(name).toString()));
        }
    }

    @AfterAll
    static void close() {
        LOADED.values().forEach(SentenceTransformer::close);
    }

    static Path folder(String name) {
        return Shared.path("fixtures/st6/models/" + name);
    }

    static List<String> models() {
        return MODELS;
    }

    private static float[][] reference(String file) throws IOException {
        return Npy.read(Shared.path("fixtures/st6/reference/" + file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void tokenIdsAreTheLibrarys(String name) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(Shared.path("fixtures/st6/reference/" + name + ".public.tokens.json").toFile());
        var tokens = LOADED.get(name).tokenizer().tokenize(texts);

        assertThat(expected).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            long[] ids = StreamSupport.stream(expected.get(i).spliterator(), false).mapToLong(JsonNode::longValue).toArray();
            assertThat(tokens.get(i).ids()).as("line %d (%s)", i + 1, texts.get(i)).containsExactly(ids);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void vectorsAreTheLibrarys(String name) throws IOException {
        SentenceTransformer model = LOADED.get(name);

        float[][] vectors = model.encode(texts, EncodeOptions.defaults().withBatchSize(16));

        assertClose(vectors, reference(name + ".public.npy"), REFERENCE_TOLERANCE, texts);
        assertThat(model.format()).isEqualTo(FolderFormat.V6);
        assertThat(model.config().writtenBy()).contains("6.0.1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bert-cls-dense-lower", "qwen3-lasttoken"})
    void theQueryPromptIsTheLibrarys(String name) throws IOException {
        SentenceTransformer model = LOADED.get(name);
        float[][] expected = reference(name + ".public.query.npy");

        assertClose(model.encode(texts, EncodeOptions.defaults().withPromptName("query")), expected, REFERENCE_TOLERANCE, texts);
        assertClose(model.encodeQuery(texts), expected, REFERENCE_TOLERANCE, texts);
    }

    @Test
    void truncateDimKeepsTheFirstDimensionsAfterNormalize() throws IOException {
        SentenceTransformer model = LOADED.get("bert-cls-dense-lower");

        float[][] cut = model.encode(texts, EncodeOptions.defaults().withTruncateDim(8));

        assertClose(cut, reference("bert-cls-dense-lower.public.truncate8.npy"), REFERENCE_TOLERANCE, texts);
        float[][] full = reference("bert-cls-dense-lower.public.npy");
        assertThat(cut[0]).containsExactly(Arrays.copyOf(full[0], 8), org.assertj.core.api.Assertions.within(1e-5f));
    }

    /** 6.x saves truncate_dim in config_sentence_transformers.json and applies it after all modules. */
    @Test
    void aSavedTruncateDimIsApplied(@TempDir Path temp) throws IOException {
        Path folder = ModelFolders.st6(temp, "bert-cls-dense-lower", "truncated");
        Path config = folder.resolve("config_sentence_transformers.json");
        Files.writeString(config, Files.readString(config).replace("\"model_type\"", "\"truncate_dim\": 8, \"model_type\""));

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.dimension()).isEqualTo(8);
            assertClose(model.encode(texts), reference("bert-cls-dense-lower.public.truncate8.npy"), REFERENCE_TOLERANCE, texts);
            // Asked for explicitly, another dimension wins, as encode(truncate_dim=...) does.
            assertThat(model.encode(texts, EncodeOptions.defaults().withTruncateDim(12))[0]).hasSize(12);
        }
    }

    /**
     * A cased tokenizer with {@code do_lower_case} in sentence_bert_config.json, as 5.x saved it:
     * 6.x lowercases letter by letter in the normalizer, and so must the vectors. The expected vectors
     * are the real library's for the same model with the Lowercase step baked into tokenizer.json.
     */
    @Test
    void doLowerCaseOnACasedTokenizerGivesTheLibrarysVectors(@TempDir Path temp) throws IOException {
        Path folder = ModelFolders.st6(temp, "bert-cls-dense-lower", "cased");
        Path tokenizer = folder.resolve("tokenizer.json");
        String json = Files.readString(tokenizer);
        String cased = json.replaceFirst("\\{\\s*\"type\":\\s*\"Lowercase\"\\s*},\\s*", "");
        assertThat(cased).isNotEqualTo(json);
        Files.writeString(tokenizer, cased);
        Path settings = folder.resolve("sentence_bert_config.json");
        Files.writeString(settings, Files.readString(settings).replaceFirst("\\{", "{\"do_lower_case\": true, "));

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertClose(model.encode(texts), reference("bert-cls-dense-lower.public.npy"), REFERENCE_TOLERANCE, texts);
        }
        Files.writeString(settings, Files.readString(settings).replace("\"do_lower_case\": true", "\"do_lower_case\": false"));
        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(maxAbsDiff(model.encode(texts)[0], reference("bert-cls-dense-lower.public.npy")[0])).isGreaterThan(1e-3);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void theSimilarityFunctionIsTheSavedOne() {
        assertThat(LOADED.get("bert-cls-dense-lower").similarityFunction()).isEqualTo(SimilarityFunction.DOT);
        assertThat(LOADED.get("roberta-mean").similarityFunction()).isEqualTo(SimilarityFunction.COSINE);
    }

    /**
     * A left-padded decoder whose export declares {@code position_ids}: a stand-in graph returns the
     * positions it was fed, mean-pooled, which is {@code (n - 1) / 2} for n tokens only if padding is not counted.
     */
    @Test
    void aGraphDeclaringPositionIdsIsFedEachTokensPlaceAmongTheRealOnes(@TempDir Path temp) throws IOException {
        Path folder = ModelFolders.st6(temp, "qwen3-lasttoken", "positions");
        Files.write(folder.resolve("onnx/model.onnx"), TinyOnnx.echoingPositions(List.of()));
        Files.writeString(folder.resolve("1_Pooling/config.json"), "{\"embedding_dimension\": 1, \"pooling_mode\": \"mean\"}");
        Files.writeString(folder.resolve("modules.json"), Files.readString(folder("qwen3-lasttoken").resolve("modules.json"))
                .replaceAll(",\\s*\\{[^{}]*Normalize\"\\s*}", ""));
        List<String> sentences = List.of("A dog.", "A man is playing a large guitar on the stage tonight.", "x");

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            float[][] vectors = model.encode(sentences);

            assertThat(model.transformer().inputNames()).contains("position_ids");
            var tokens = model.tokenizer().tokenize(sentences);
            for (int i = 0; i < sentences.size(); i++) {
                assertThat(vectors[i]).containsExactly((tokens.get(i).length() - 1) / 2f);
            }
        }
    }

    /** Without modules.json, sentence-transformers pools a causal language model by its last token, others by mean. */
    @Test
    void withoutModulesJsonACausalLanguageModelPoolsItsLastToken(@TempDir Path temp) throws IOException {
        Path folder = ModelFolders.st6(temp, "qwen3-lasttoken", "no-modules");
        Files.delete(folder.resolve("modules.json"));
        String config = Files.readString(folder.resolve("config.json"));
        Files.writeString(folder.resolve("config.json"), config.replace("\"Qwen3Model\"", "\"Qwen3ForCausalLM\""));
        float[][] expected = reference("qwen3-lasttoken.public.npy");

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.format()).isEqualTo(FolderFormat.PLAIN);
            assertThat(model.pooling().modes()).containsExactly(PoolingMode.LAST_TOKEN);
            assertThat(model.normalizes()).isFalse();
            assertClose(Normalize.l2(model.encode(texts)), expected, REFERENCE_TOLERANCE, texts);
        }
        Files.writeString(folder.resolve("config.json"), config);
        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.pooling().modes()).containsExactly(PoolingMode.MEAN);
        }
    }

    @Test
    void describesWhatTheFoldersSay() {
        assertThat(LOADED.get("bert-maxpool-multi").dimension()).isEqualTo(64);
        assertThat(LOADED.get("bert-maxpool-multi").pooling()).hasToString("max+mean_sqrt_len_tokens");
        assertThat(LOADED.get("bert-cls-dense-lower").dimension()).isEqualTo(16);
        assertThat(LOADED.get("bert-cls-dense-lower").tokenizer().settings().maxSeqLength()).isEqualTo(48);
        assertThat(LOADED.get("xlmr-mean").tokenizer().settings().maxSeqLength()).isEqualTo(96);
        assertThat(LOADED.get("seed-bert-mean").normalizes()).isFalse();
        assertThat(LOADED.get("qwen3-lasttoken").normalizes()).isTrue();
        assertThat(LOADED.get("qwen3-lasttoken").tokenizer().settings().paddingSide()).isEqualTo(PaddingSide.LEFT);
        assertThat(LOADED.get("roberta-mean").tokenizer().settings().paddingSide()).isEqualTo(PaddingSide.RIGHT);
    }
}
