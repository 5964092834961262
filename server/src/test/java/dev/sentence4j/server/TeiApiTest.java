package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TEI's routes on a real server and model, each reply checked against the model used directly. */
class TeiApiTest {
    private static final List<String> SEED = Shared.lines("data/seed-sentences.txt");

    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options);

    private final SentenceTransformer model = SERVER.model();
    private final Http http = SERVER.http();

    @Test
    void embedsOneTextOrAList() {
        Http.Reply one = http.post("/embed", Map.of("inputs", SEED.get(0)));
        Http.Reply list = http.post("/embed", Map.of("inputs", SEED));

        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertClose(Vectors.rows(one.json()), model.encode(SEED.subList(0, 1)), REFERENCE_TOLERANCE);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertClose(Vectors.rows(list.json()), model.encode(SEED), REFERENCE_TOLERANCE);
        int tokens = Arrays.stream(model.encodeWithDetails(SEED, EncodeOptions.defaults()).tokenCounts()).sum();
        assertThat(list.headers().firstValue("x-compute-tokens")).hasValue(Integer.toString(tokens));
        assertThat(list.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void normalizesUnlessToldNotToAndKeepsTheDimensionsAskedFor() {
        Http.Reply raw = http.post("/embed", Map.of("inputs", SEED, "normalize", false));
        Http.Reply short64 = http.post("/embed", Map.of("inputs", SEED, "dimensions", 64));

        float[][] unnormalized = model.encode(SEED, EncodeOptions.defaults().withNormalize(false));
        assertClose(Vectors.rows(raw.json()), unnormalized, REFERENCE_TOLERANCE);
        assertThat(norm(unnormalized[0])).isNotCloseTo(1, within(0.01));
        float[][] truncated = Vectors.rows(short64.json());
        assertClose(truncated, model.encode(SEED, EncodeOptions.defaults().withTruncateDim(64).withNormalize(true)),
                REFERENCE_TOLERANCE);
        assertThat(norm(truncated[0])).isCloseTo(1, within(1e-5));
    }

    @Test
    void refusesATooLongInputNamingItAndItsTokensUnlessAskedToTruncate() {
        String paragraph = Shared.lines("reference/edge-cases.txt").get(0);
        int tokens = model.encodeWithDetails(List.of(paragraph), EncodeOptions.defaults()).tokenCounts()[0];
        assertThat(tokens).isGreaterThan(256);

        Http.Reply refused = http.post("/embed", Map.of("inputs", List.of("short", paragraph)));
        Http.Reply truncated = http.post("/embed", Map.of("inputs", List.of("short", paragraph), "truncate", true,
                "truncation_direction", "Right"));
        Http.Reply left = http.post("/embed", Map.of("inputs", "short", "truncation_direction", "Left"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("error").asText())
                .isEqualTo("inputs[1] has " + tokens + " tokens, more than the 256 the model takes; send \"truncate\": true"
                        + " to cut it, or start the server with --auto-truncate");
        assertThat(refused.json().get("error_type").asText()).isEqualTo("validation");
        assertThat(truncated.status()).as(truncated.body()).isEqualTo(200);
        assertClose(Vectors.rows(truncated.json()), model.encode(List.of("short", paragraph)), REFERENCE_TOLERANCE);
        assertThat(left.status()).isEqualTo(422);
        assertThat(left.json().get("error").asText()).contains("Left is not supported");
    }

    @Test
    void refusesAPromptTheModelLacks() {
        Http.Reply reply = http.post("/embed", Map.of("inputs", "a", "prompt_name", "query"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").asText())
                .isEqualTo("the model has no prompt named 'query' (field 'prompt_name'); it has none");
    }

    @Test
    void scoresSimilarityByTheModelsFunction() {
        Http.Reply reply = http.post("/similarity", Map.of("inputs",
                Map.of("source_sentence", SEED.get(0), "sentences", SEED.subList(1, SEED.size()))));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        // The walkthrough's published figures for all-MiniLM-L6-v2 (shared/reference/README.md).
        assertThat(Vectors.row(reply.json())).containsExactly(new float[] {0.220594f, 0.476377f, 0.054843f, 0.340702f, 0.227431f},
                within(1e-5f));
    }

    /** Where Hugging Face's InferenceClient sends feature_extraction and sentence_similarity alike. */
    @Test
    void theRootEmbedsOrScoresAsTheRequestAsks() {
        Http.Reply embedded = http.post("/", Map.of("inputs", SEED.get(0)));
        Http.Reply scored = http.post("/", Map.of("inputs", Map.of("source_sentence", SEED.get(0), "sentences", SEED.subList(1, 3))));

        assertThat(embedded.status()).as(embedded.body()).isEqualTo(200);
        assertClose(Vectors.rows(embedded.json()), model.encode(SEED.subList(0, 1)), REFERENCE_TOLERANCE);
        assertThat(scored.status()).as(scored.body()).isEqualTo(200);
        assertThat(Vectors.row(scored.json())).containsExactly(new float[] {0.220594f, 0.476377f}, within(1e-5f));
        assertThat(http.get("/").status()).isEqualTo(200);
    }

    @Test
    void similarityNamesAMissingSourceSentence() {
        Http.Reply reply = http.post("/similarity", Map.of("inputs", Map.of("sentences", List.of("a"))));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").asText()).isEqualTo("field 'inputs.source_sentence' is missing: send a string");
    }

    @Test
    void tokenizesAsTeiDoes() {
        String text = "Héllo 😀 world";
        Http.Reply reply = http.post("/tokenize", Map.of("inputs", text));
        Http.Reply bare = http.post("/tokenize", Map.of("inputs", List.of(text, "x"), "add_special_tokens", false));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode tokens = reply.json().get(0);
        assertThat(tokens.toString()).isEqualTo("["
                + "{\"id\":101,\"text\":\"[CLS]\",\"special\":true,\"start\":null,\"stop\":null},"
                + "{\"id\":7592,\"text\":\"Héllo\",\"special\":false,\"start\":0,\"stop\":5},"
                + "{\"id\":100,\"text\":\"😀\",\"special\":false,\"start\":6,\"stop\":7},"
                + "{\"id\":2088,\"text\":\"world\",\"special\":false,\"start\":8,\"stop\":13},"
                + "{\"id\":102,\"text\":\"[SEP]\",\"special\":true,\"start\":null,\"stop\":null}]");
        long[] ids = model.tokenizer().tokenize(List.of(text)).get(0).ids();
        assertThat(tokens.findValues("id").stream().mapToLong(JsonNode::asLong).toArray()).containsExactly(ids);
        assertThat(bare.json().size()).isEqualTo(2);
        assertThat(bare.json().get(0).findValuesAsText("text")).containsExactly("Héllo", "😀", "world");
    }

    @Test
    void tellsItsModelAndLimits() {
        Http.Reply reply = http.get("/info");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode info = reply.json();
        assertThat(info.get("model_id").asText()).isEqualTo(Shared.MINILM);
        assertThat(info.get("model_dtype").asText()).isEqualTo("float32");
        assertThat(info.at("/model_type/embedding/pooling").asText()).isEqualTo("mean");
        assertThat(info.get("max_input_length").asInt()).isEqualTo(256);
        assertThat(info.get("max_batch_tokens").asInt()).isEqualTo(16384);
        assertThat(info.get("max_client_batch_size").asInt()).isEqualTo(32);
        assertThat(info.get("max_concurrent_requests").asInt()).isEqualTo(512);
        assertThat(info.get("auto_truncate").asBoolean()).isFalse();
        assertThat(info.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void answersHealthAndCountsForPrometheus() {
        double embeds = metric("te_request_count_total{route=\"/embed\"}");
        double refused = metric("te_request_failure_total{err=\"input_too_long\"}");
        String model = "{model=\"" + Shared.MINILM + "\"}";
        double batches = metric("te_batch_next_size_count" + model);

        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.post("/embed", Map.of("inputs", "fine")).status()).isEqualTo(200);
        assertThat(http.post("/embed", Map.of("inputs", "word ".repeat(300))).status()).isEqualTo(422);

        assertThat(metric("te_request_count_total{route=\"/embed\"}")).isEqualTo(embeds + 2);
        assertThat(metric("te_request_failure_total{err=\"input_too_long\"}")).isEqualTo(refused + 1);
        assertThat(metric("te_batch_next_size_count" + model)).isEqualTo(batches + 1);
        String text = http.get("/metrics").body();
        assertThat(text).contains("# TYPE te_request_inference_duration histogram",
                "te_request_tokenization_duration_bucket{model=\"" + Shared.MINILM + "\",le=\"+Inf\"}",
                "te_request_queue_duration_sum" + model, "te_queue_size" + model + " 0", "te_request_duration_count ");
    }

    private double metric(String name) {
        Http.Reply reply = http.get("/metrics");
        assertThat(reply.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return reply.body().lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1))).orElse(0.0);
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
