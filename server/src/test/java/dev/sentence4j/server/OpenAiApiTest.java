package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OpenAI's embeddings route on a real server and model, as the official clients call it. */
class OpenAiApiTest {
    private static final List<String> SEED = Shared.lines("data/seed-sentences.txt");

    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options);

    private final SentenceTransformer model = SERVER.model();
    private final Http http = SERVER.http();

    @Test
    void repliesAsOpenAiDoes() {
        Http.Reply reply = http.post("/v1/embeddings", Map.of("input", SEED, "model", "text-embedding-3-small"));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo(Shared.MINILM);
        JsonNode data = body.get("data");
        assertThat(data.size()).isEqualTo(SEED.size());
        float[][] vectors = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            assertThat(data.get(i).get("object").asText()).isEqualTo("embedding");
            assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
            vectors[i] = Vectors.row(data.get(i).get("embedding"));
        }
        assertClose(vectors, model.encode(SEED), REFERENCE_TOLERANCE);
        int tokens = Arrays.stream(model.encodeWithDetails(SEED, EncodeOptions.defaults()).tokenCounts()).sum();
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(tokens);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(tokens);
    }

    @Test
    void sendsBase64AsLittleEndianFloat32() {
        Http.Reply reply = http.post("/v1/embeddings", Map.of("input", SEED.get(2), "model", "m", "encoding_format", "base64"));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        String base64 = reply.json().at("/data/0/embedding").asText();
        assertThat(Base64.getDecoder().decode(base64)).hasSize(384 * Float.BYTES);
        assertClose(new float[][] {Vectors.fromBase64(base64)}, model.encode(SEED.subList(2, 3)), REFERENCE_TOLERANCE);
    }

    @Test
    void shortensToTheDimensionsAskedForAtUnitLength() {
        Http.Reply reply = http.post("/embeddings", Map.of("input", SEED, "dimensions", 128));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        float[][] vectors = SEED.stream().map(s -> (float[]) null).toArray(float[][]::new);
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = Vectors.row(reply.json().at("/data/" + i + "/embedding"));
        }
        assertClose(vectors, model.encode(SEED, EncodeOptions.defaults().withTruncateDim(128).withNormalize(true)),
                REFERENCE_TOLERANCE);
    }

    @Test
    void writesErrorsAsOpenAiDoes() {
        Http.Reply format = http.post("/v1/embeddings", Map.of("input", "a", "encoding_format", "int8"));
        Http.Reply dimensions = http.post("/v1/embeddings", Map.of("input", "a", "dimensions", 1000));
        Http.Reply tokenIds = http.post("/v1/embeddings", Map.of("input", List.of(List.of(9906, 1917))));

        assertThat(format.status()).isEqualTo(422);
        assertThat(format.json().toString()).isEqualTo("{\"error\":{\"message\":\"field 'encoding_format' must be float or base64,"
                + " got 'int8'\",\"type\":\"invalid_request_error\",\"param\":\"encoding_format\",\"code\":\"invalid_request\"}}");
        assertThat(dimensions.status()).isEqualTo(422);
        assertThat(dimensions.json().at("/error/message").asText())
                .isEqualTo("field 'dimensions' asks for 1000 dimensions, but the model's vectors have 384");
        assertThat(dimensions.json().at("/error/param").asText()).isEqualTo("dimensions");
        assertThat(tokenIds.status()).isEqualTo(422);
        assertThat(tokenIds.json().at("/error/message").asText()).startsWith("field 'input' holds token ids");
    }
}
