package dev.sentence4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelResponseContext;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import dev.sentence4j.Shared;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TestModels;
import dev.sentence4j.VectorAssertions;
import dev.sentence4j.io.Npy;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.tokenize.Tokens;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter through LangChain4j's own interface, on the built-in all-MiniLM-L6-v2 shared with other tests. */
class Sentence4jEmbeddingModelTest {
    private static final float TOLERANCE = 1e-5f;

    private static SentenceTransformer model;
    private static Sentence4jEmbeddingModel adapter;

    @BeforeAll
    static void load() {
        model = TestModels.get(Shared.MINILM);
        adapter = Sentence4jEmbeddingModel.builder().model(model).build();
    }

    @Test
    void embedAllGivesTheVectorsOfEncodeAndOfTheReference() throws IOException {
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");

        Response<List<Embedding>> response = adapter.embedAll(segments(texts));

        float[][] vectors = vectors(response.content());
        assertClose(vectors, model.encode(texts));
        assertClose(vectors, reference("stsb-dev-sample"));
    }

    /** The edge cases hold paragraphs over 256 tokens: cut there, as sentence-transformers cuts them. */
    @Test
    void longTextsAreCutAtTheMaximumSequenceLengthAndCountedSo() throws IOException {
        List<String> texts = Shared.referenceTexts("edge-cases");
        List<Tokens> tokens = model.tokenizer().tokenize(texts);
        assertThat(tokens).as("the edge cases include texts the model cuts").anyMatch(Tokens::truncated);

        Response<List<Embedding>> response = adapter.embedAll(segments(texts));

        assertClose(vectors(response.content()), reference("edge-cases"));
        int kept = tokens.stream().mapToInt(Tokens::length).sum();
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(kept);
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(kept);
        assertThat(kept).isLessThan(tokens.stream().mapToInt(Tokens::untruncatedLength).sum());
    }

    @Test
    void oneTextIsCountedWithItsSpecialTokens() {
        Response<Embedding> response = adapter.embed("A man is playing a guitar.");

        assertThat(response.content().vector()).containsExactly(model.encode("A man is playing a guitar."), within(TOLERANCE));
        assertThat(response.tokenUsage().inputTokenCount())
                .isEqualTo(model.tokenizer().tokens("A man is playing a guitar.").size())
                .isEqualTo(9);
    }

    @Test
    void dimensionsPerCallCutTheVectorAndMakeItUnitLengthAgain() {
        List<String> texts = Shared.referenceTexts("seed-sentences");

        EmbeddingResponse response = adapter.embed(EmbeddingRequest.builder().inputs(texts.toArray(String[]::new))
                .dimensions(64).build());

        float[][] full = model.encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] vector = response.embeddings().get(i).vector();
            assertThat(vector).hasSize(64).containsExactly(Normalize.l2(Arrays.copyOf(full[i], 64)), within(TOLERANCE));
            assertThat(norm(vector)).isCloseTo(1, within(1e-5));
        }
    }

    @Test
    void defaultDimensionsApplyToEveryCallAndAreTheDimension() {
        Sentence4jEmbeddingModel cut = Sentence4jEmbeddingModel.builder().model(model).dimensions(128).build();

        assertThat(cut.dimension()).isEqualTo(128);
        assertThat(cut.embed("Someone plays guitar.").content().vector())
                .containsExactly(Normalize.l2(Arrays.copyOf(model.encode("Someone plays guitar."), 128)), within(TOLERANCE));
        assertThat(adapter.dimension()).isEqualTo(384);
        assertThat(adapter.modelName()).isEqualTo(Shared.MINILM);
    }

    @Test
    void dimensionsTheModelCannotGiveAreRefused() {
        assertThatThrownBy(() -> adapter.embed(EmbeddingRequest.builder().input("text").dimensions(385).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimensions must be between 1 and the 384 of " + Shared.MINILM + ", got 385");
        assertThatThrownBy(() -> Sentence4jEmbeddingModel.builder().model(model).dimensions(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }

    /** LangChain4j refuses a parameter the model does not list rather than ignore it: a request cannot pick another model. */
    @Test
    void aRequestCannotNameAnotherModel() {
        assertThatThrownBy(() -> adapter.embed(EmbeddingRequest.builder().input("text").modelName("other/model").build()))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("modelName");
    }

    @Test
    void listenersSeeEachResponseWithItsTokenUsage() {
        AtomicReference<EmbeddingModelResponseContext> seen = new AtomicReference<>();
        EmbeddingModelListener listener = new EmbeddingModelListener() {
            @Override
            public void onResponse(EmbeddingModelResponseContext context) {
                seen.set(context);
            }
        };
        Sentence4jEmbeddingModel listened = Sentence4jEmbeddingModel.builder().model(model).listeners(List.of(listener)).build();

        listened.embedAll(segments(List.of("one text", "and another")));

        assertThat(seen.get().embeddingResponse().embeddings()).hasSize(2);
        assertThat(seen.get().embeddingResponse().tokenUsage().inputTokenCount()).isEqualTo(4 + 4);
        assertThat(seen.get().embeddingResponse().modelName()).isEqualTo(Shared.MINILM);
    }

    @Test
    void aModelPassedInStaysOpenWhenTheAdapterCloses() {
        Sentence4jEmbeddingModel.builder().model(model).build().close();

        assertThat(model.encode("still open")).hasSize(384);
    }

    @Test
    void loadChoicesCannotApplyToAModelAlreadyLoaded() {
        assertThatThrownBy(() -> Sentence4jEmbeddingModel.builder().model(model).quantized(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loaded already");
        assertThatThrownBy(() -> Sentence4jEmbeddingModel.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("name the model");
    }

    static List<TextSegment> segments(List<String> texts) {
        return texts.stream().map(TextSegment::from).toList();
    }

    static float[][] vectors(List<Embedding> embeddings) {
        return embeddings.stream().map(Embedding::vector).toArray(float[][]::new);
    }

    static void assertClose(float[][] actual, float[][] expected) {
        VectorAssertions.assertClose(actual, expected, VectorAssertions.REFERENCE_TOLERANCE);
    }

    static float[][] reference(String set) throws IOException {
        return Npy.read(Shared.path("reference/" + set + "." + Shared.shortName(Shared.MINILM) + ".npy"));
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
