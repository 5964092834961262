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

/** Spring AI's own OpenAI embedding client, pointed at the server, gets the library's vectors. */
class SpringAiOpenAiClientTest {
    private static final List<String> SEED = Shared.lines("data/seed-sentences.txt");

    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options.withApiKey("secret"));

    private final SentenceTransformer model = SERVER.model();

    /**
     * Spring AI 2 runs OpenAI's own Java client, whose base URL ends in {@code /v1}: it adds
     * {@code /embeddings} itself.
     */
    private OpenAiEmbeddingModel client(OpenAiEmbeddingOptions.Builder options) {
        String base = SERVER.server().uri().resolve("v1").toString();
        return new OpenAiEmbeddingModel(MetadataMode.EMBED, options.baseUrl(base).apiKey("secret").build());
    }

    @Test
    void embedsAsTheLibraryDoes() {
        EmbeddingResponse response = client(OpenAiEmbeddingOptions.builder().model("all-MiniLM-L6-v2"))
                .embedForResponse(SEED);

        float[][] vectors = response.getResults().stream().map(result -> result.getOutput()).toArray(float[][]::new);
        assertClose(vectors, model.encode(SEED), REFERENCE_TOLERANCE);
        assertThat(response.getMetadata().getModel()).isEqualTo(Shared.MINILM);
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isPositive();
    }

    @Test
    void keepsTheDimensionsAskedForAtUnitLength() {
        float[] vector = client(OpenAiEmbeddingOptions.builder().model("all-MiniLM-L6-v2").dimensions(64))
                .embed(SEED.get(1));

        assertClose(new float[][] {vector},
                model.encode(SEED.subList(1, 2), EncodeOptions.defaults().withTruncateDim(64).withNormalize(true)),
                REFERENCE_TOLERANCE);
    }
}
