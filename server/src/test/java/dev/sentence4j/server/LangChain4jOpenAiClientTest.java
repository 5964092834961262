package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LangChain4j's own OpenAI embedding client, pointed at the server's {@code /v1}, gets the library's vectors. */
class LangChain4jOpenAiClientTest {
    private static final List<String> SEED = Shared.lines("data/seed-sentences.txt");

    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options.withApiKey("secret"));

    private final SentenceTransformer model = SERVER.model();

    private OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder client() {
        return OpenAiEmbeddingModel.builder().baseUrl(SERVER.server().uri() + "v1").apiKey("secret")
                .modelName("all-MiniLM-L6-v2").maxRetries(0);
    }

    @Test
    void embedsAsTheLibraryDoes() {
        Response<List<Embedding>> response = client().build().embedAll(SEED.stream().map(TextSegment::from).toList());

        float[][] vectors = response.content().stream().map(Embedding::vector).toArray(float[][]::new);
        assertClose(vectors, model.encode(SEED), REFERENCE_TOLERANCE);
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
    }

    @Test
    void keepsTheDimensionsAskedForAtUnitLength() {
        Embedding embedding = client().dimensions(128).build().embed(SEED.get(0)).content();

        assertClose(new float[][] {embedding.vector()},
                model.encode(SEED.subList(0, 1), EncodeOptions.defaults().withTruncateDim(128).withNormalize(true)),
                REFERENCE_TOLERANCE);
    }

    @Test
    void aWrongKeyFailsTheClientWithTheServersMessage() {
        assertThatThrownBy(() -> client().apiKey("wrong").build().embed("a"))
                .hasMessageContaining("the API key is wrong");
    }
}
