package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;

/**
 * Spring AI's own OpenAI embedding client (OpenAI's Java SDK underneath), pointed at the server, gets the
 * library's vectors.
 */
class SpringAiOpenAiClientTest {
    private static final List<String> SEED = Shared.lines("data/seed-sentences.txt");

    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options.withApiKey("secret"));

    private final SentenceTransformer model = SERVER.model();

    /** Spring AI 2 calls through OpenAI's own Java SDK, whose base URL ends in {@code /v1}, as OpenAI's does. */
    private static OpenAiEmbeddingModel client(Integer dimensions) {
        OpenAiEmbeddingOptions options = OpenAiEmbeddingOptions.builder().baseUrl(SERVER.server().uri() + "v1")
                .apiKey("secret").model("all-MiniLM-L6-v2").maxRetries(0).dimensions(dimensions).build();
        return new OpenAiEmbeddingModel(MetadataMode.EMBED, options);
    }

    @Test
    void embedsAsTheLibraryDoes() {
        EmbeddingResponse response = client(null).embedForResponse(SEED);

        float[][] vectors = response.getResults().stream().map(result -> result.getOutput()).toArray(float[][]::new);
        assertClose(vectors, model.encode(SEED), REFERENCE_TOLERANCE);
        assertThat(response.getMetadata().getModel()).isEqualTo(Shared.MINILM);
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isPositive();
    }

    @Test
    void keepsTheDimensionsAskedForAtUnitLength() {
        float[] vector = client(64).embed(SEED.get(1));

        assertClose(new float[][] {vector},
                model.encode(SEED.subList(1, 2), EncodeOptions.defaults().withTruncateDim(64).withNormalize(true)),
                REFERENCE_TOLERANCE);
    }
}
