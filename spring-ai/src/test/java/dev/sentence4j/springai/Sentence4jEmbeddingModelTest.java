package dev.sentence4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.VectorAssertions;
import dev.sentence4j.io.Npy;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.tokenize.Tokens;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/** The adapter through Spring AI's own interface, on the built-in all-MiniLM-L6-v2 shared with other tests. */
class Sentence4jEmbeddingModelTest {
    static final float TOLERANCE = 1e-5f;

    private static SentenceTransformer model;
    private static EmbeddingModel adapter;

    @BeforeAll
    static void load() {
        model = TestModels.get(Shared.MINILM);
        adapter = Sentence4jEmbeddingModel.builder(model).build();
    }

    @Test
    void callGivesTheVectorsOfEncodeAndOfTheReferenceInOrder() throws IOException {
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");

        EmbeddingResponse response = adapter.call(new EmbeddingRequest(texts, EmbeddingOptions.builder().build()));

        assertThat(response.getResults()).extracting(Embedding::getIndex).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, texts.size()).boxed().toList());
        float[][] vectors = vectors(response);
        assertClose(vectors, model.encode(texts));
        assertClose(vectors, reference("stsb-dev-sample"));
        assertThat(response.getMetadata().getModel()).isEqualTo(Shared.MINILM);
    }

    /** The edge cases hold paragraphs over 256 tokens: cut there, as sentence-transformers cuts them, and counted so. */
    @Test
    void longTextsAreCutAtTheMaximumSequenceLengthAndCountedSo() throws IOException {
        List<String> texts = Shared.referenceTexts("edge-cases");
        List<Tokens> tokens = model.tokenizer().tokenize(texts);
        assertThat(tokens).as("the edge cases include texts the model cuts").anyMatch(Tokens::truncated);

        EmbeddingResponse response = adapter.call(new EmbeddingRequest(texts, null));

        assertClose(vectors(response), reference("edge-cases"));
        int kept = tokens.stream().mapToInt(Tokens::length).sum();
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(kept);
        assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(kept);
        assertThat(kept).isLessThan(tokens.stream().mapToInt(Tokens::untruncatedLength).sum());
    }

    @Test
    void dimensionsCutTheVectorAndMakeItUnitLengthAgain() {
        List<String> texts = Shared.referenceTexts("seed-sentences");

        float[][] cut = vectors(adapter.call(new EmbeddingRequest(texts, EmbeddingOptions.builder().dimensions(64).build())));

        float[][] full = model.encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(cut[i]).hasSize(64).containsExactly(Normalize.l2(Arrays.copyOf(full[i], 64)), within(TOLERANCE));
        }
    }

    @Test
    void withNormalizeOffDimensionsOnlyCut() {
        List<String> texts = Shared.referenceTexts("seed-sentences");
        EmbeddingModel raw = Sentence4jEmbeddingModel.builder(model).normalize(false).dimensions(64).build();

        float[][] cut = vectors(raw.call(new EmbeddingRequest(texts, null)));

        float[][] unnormalized = model.encode(texts, EncodeOptions.defaults().withNormalize(false));
        for (int i = 0; i < texts.size(); i++) {
            assertThat(cut[i]).containsExactly(Arrays.copyOf(unnormalized[i], 64), within(TOLERANCE));
        }
        assertThat(raw.dimensions()).isEqualTo(64);
        assertThat(adapter.dimensions()).isEqualTo(384);
    }

    @Test
    void dimensionsOrAModelItCannotServeAreRefused() {
        assertThatThrownBy(() -> adapter.call(new EmbeddingRequest(List.of("text"), EmbeddingOptions.builder().dimensions(500).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimensions must be between 1 and the 384 of " + Shared.MINILM + ", got 500");
        assertThatThrownBy(() -> adapter.call(new EmbeddingRequest(List.of("text"), EmbeddingOptions.builder().model("text-embedding-3-small").build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this EmbeddingModel runs " + Shared.MINILM + "; the request asks for text-embedding-3-small");
        assertThat(adapter.call(new EmbeddingRequest(List.of("text"), EmbeddingOptions.builder().model(Shared.MINILM).build()))
                .getResults()).hasSize(1);
        assertThatThrownBy(() -> Sentence4jEmbeddingModel.builder(model).promptName("query").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no prompt named 'query'");
    }

    @Test
    void aDocumentIsEmbeddedByItsTextOrWithItsMetadataWhenAsked() {
        Document document = new Document("A man is playing a guitar.", Map.of("source", "stsb"));
        EmbeddingModel withMetadata = Sentence4jEmbeddingModel.builder(model).metadataMode(MetadataMode.ALL).build();

        assertThat(adapter.embed(document)).containsExactly(model.encode("A man is playing a guitar."), within(TOLERANCE));
        assertThat(withMetadata.embed(document))
                .containsExactly(model.encode("source: stsb\n\nA man is playing a guitar."), within(TOLERANCE));
    }

    @Test
    void eachCallIsObservedWithItsProviderAndTokens() {
        AtomicReference<Observation.Context> seen = new AtomicReference<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                seen.set(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        EmbeddingModel observed = Sentence4jEmbeddingModel.builder(model).observationRegistry(registry).build();

        observed.embed(List.of("one text", "and another"));

        assertThat(seen.get().getLowCardinalityKeyValue("gen_ai.system").getValue()).isEqualTo("sentence4j");
        assertThat(seen.get().getLowCardinalityKeyValue("gen_ai.response.model").getValue()).isEqualTo(Shared.MINILM);
        assertThat(seen.get().getHighCardinalityKeyValue("gen_ai.usage.input_tokens").getValue()).isEqualTo("8");
        assertThat(seen.get().getHighCardinalityKeyValue("gen_ai.request.embedding.dimensions").getValue()).isEqualTo("384");
    }

    static float[][] vectors(EmbeddingResponse response) {
        return response.getResults().stream().map(Embedding::getOutput).toArray(float[][]::new);
    }

    static void assertClose(float[][] actual, float[][] expected) {
        VectorAssertions.assertClose(actual, expected, VectorAssertions.REFERENCE_TOLERANCE);
    }

    static float[][] reference(String set) throws IOException {
        return Npy.read(Shared.path("reference/" + set + "." + Shared.shortName(Shared.MINILM) + ".npy"));
    }

}
