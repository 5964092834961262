package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each limit and each kind of bad request gets its status and a JSON error that says what is wrong. */
class LimitsTest {
    private static final String KEY = "Authorization";
    private static final String BEARER = "Bearer s3cret";

    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM,
            options -> options.withMaxClientBatchSize(4).withPayloadLimit(1000).withApiKey("s3cret"));

    private final SentenceTransformer model = SERVER.model();
    private final Http http = SERVER.http();

    @Test
    void refusesABodyOverThePayloadLimitWithOrWithoutItsLength() {
        String big = "{\"inputs\": \"" + "word ".repeat(300) + "\"}";
        Http.Reply sized = http.post("/embed", big, KEY, BEARER);
        Http.Reply chunked = http.send(http.request("/embed", KEY, BEARER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build());

        assertThat(sized.status()).isEqualTo(413);
        assertThat(sized.json().get("error").asText()).isEqualTo("the request body has " + big.length()
                + " bytes, more than the 1000 bytes the server takes (--payload-limit)");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.json().get("error").asText())
                .isEqualTo("the request body has more than the 1000 bytes the server takes (--payload-limit)");
    }

    @Test
    void refusesMoreInputsThanOneRequestMayHold() {
        Http.Reply reply = http.post("/embed", Map.of("inputs", List.of("a", "b", "c", "d", "e")), KEY, BEARER);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").asText())
                .isEqualTo("field 'inputs' holds 5 texts, more than the 4 one request may hold (--max-client-batch-size): split it");
        assertThat(http.post("/embed", Map.of("inputs", List.of("a", "b", "c", "d")), KEY, BEARER).status()).isEqualTo(200);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("/embed", "{\"inputs\": ", 422, "the request body is not valid JSON at line 1, column 12: "),
                Arguments.of("/embed", "{\"inputs\": \"a\"} x", 422, "the request body is not valid JSON"),
                Arguments.of("/embed", "", 422, "the request body is empty; send a JSON object"),
                Arguments.of("/embed", "[\"a\"]", 422, "the request body must be a JSON object, got a list"),
                Arguments.of("/embed", "{}", 422, "field 'inputs' is missing: send a string or a list of strings"),
                Arguments.of("/embed", "{\"inputs\": 5}", 422, "field 'inputs' must be a string or a list of strings, got the number 5"),
                Arguments.of("/embed", "{\"inputs\": [\"a\", null]}", 422, "field 'inputs[1]' must be a string, got null"),
                Arguments.of("/tokenize", "{\"inputs\": [\"a\", \"b \\ud800 c\"]}", 422,
                        "field 'inputs[1]' holds a lone surrogate (\\uD800 at character 2), which is not text"),
                Arguments.of("/embed", "{\"inputs\": []}", 400, "field 'inputs' is an empty list: send at least one text"),
                Arguments.of("/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}", 422, "field 'normalize' must be true or false, got a string"),
                Arguments.of("/embed", "{\"inputs\": \"a\", \"dimensions\": 2.5}", 422,
                        "field 'dimensions' must be a whole number of at least 1, got the number 2.5"),
                Arguments.of("/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"Middle\"}", 422,
                        "field 'truncation_direction' must be Right or Left, got 'Middle'"),
                Arguments.of("/similarity", "{\"inputs\": {\"source_sentence\": 1, \"sentences\": [\"a\"]}}", 422,
                        "field 'inputs.source_sentence' must be a string, got the number 1"),
                Arguments.of("/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": [\"b\"]}, \"parameters\": "
                        + "{\"truncate\": 1}}", 422, "field 'parameters.truncate' must be true or false, got the number 1"),
                Arguments.of("/tokenize", "{\"inputs\": \"a\", \"add_special_tokens\": \"no\"}", 422,
                        "field 'add_special_tokens' must be true or false, got a string"),
                Arguments.of("/v1/embeddings", "{\"input\": \"a\", \"model\": 3}", 422, "field 'model' must be a string, got the number 3"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badRequests")
    void namesWhatIsWrongWithABadRequest(String path, String body, int status, String message) {
        Http.Reply reply = http.post(path, body, KEY, BEARER);

        assertThat(reply.status()).isEqualTo(status);
        String error = path.startsWith("/v1") ? reply.json().at("/error/message").asText() : reply.json().get("error").asText();
        assertThat(error).startsWith(message);
    }

    @Test
    void answersUnknownRoutesAndWrongMethods() {
        Http.Reply missing = http.get("/nope");
        Http.Reply wrongMethod = http.get("/embed", KEY, BEARER);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).startsWith("no route /nope; the server answers /embed, /similarity");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("error").asText()).isEqualTo("/embed takes POST, not GET");
        assertThat(http.send(http.request("/").method("PUT", HttpRequest.BodyPublishers.noBody()).build())
                .json().get("error").asText()).isEqualTo("/ takes GET or POST, not PUT");
    }

    @Test
    void answersARefusedRequestOnceItsBodyIsInAndKeepsTheConnection() {
        String body = "{\"inputs\": \"a\"}";
        try (RawConnection connection = RawConnection.open(SERVER.server().uri())) {
            connection.send("POST /embed HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nExpect: 100-continue\r\n\r\n");
            // The body after the headers, as a client that writes them apart sends it: a server answering
            // the missing key before the body is in closes the connection under the client. Asked to, the
            // server says "100 Continue" when it starts reading the body; one that answered first would
            // send its 401 here instead, however fast or slow the machine.
            assertThat(connection.read().status()).as("the server reads the body before answering").isEqualTo(100);
            RawConnection.Reply refused = connection.send(body).read();
            RawConnection.Reply next = connection.send("GET /health HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(refused.status()).isEqualTo(401);
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void asksForTheApiKeyButNotForHealthOrMetrics() {
        Http.Reply none = http.post("/embed", Map.of("inputs", "a"));
        Http.Reply wrong = http.post("/v1/embeddings", Map.of("input", "a"), KEY, "Bearer guess");
        Http.Reply info = http.get("/info");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(none.json().get("error").asText())
                .isEqualTo("this server needs an API key: send the header 'Authorization: Bearer KEY'");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").toString()).isEqualTo("{\"message\":\"the API key is wrong\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}");
        assertThat(info.status()).isEqualTo(401);
        assertThat(http.post("/embed", Map.of("inputs", "a"), KEY, BEARER).status()).isEqualTo(200);
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void refusesRequestsBeyondTheConcurrencyLimitAndTakesThemOnceASlotFrees() throws Exception {
        GatedEncoder encoder = new GatedEncoder(model);
        try (EmbeddingServer limited = EmbeddingServer.start(model, TestServer.loopback().withMaxConcurrentRequests(1), encoder)) {
            Http client = new Http(limited.uri());
            CompletableFuture<Http.Reply> first = CompletableFuture.supplyAsync(() -> client.post("/embed", Map.of("inputs", "one")));
            encoder.awaitEntered();

            Http.Reply second = client.post("/embed", Map.of("inputs", "two"));
            Http.Reply tokenize = client.post("/tokenize", Map.of("inputs", "two"));
            encoder.open();

            assertThat(second.status()).isEqualTo(429);
            assertThat(second.json().get("error").asText()).isEqualTo("the model " + Shared.MINILM + " is overloaded: 1 of its"
                    + " requests are in flight, the most the server takes (--max-concurrent-requests); retry later");
            assertThat(second.json().get("error_type").asText()).isEqualTo("overloaded");
            assertThat(tokenize.status()).as("tokenizing takes no slot").isEqualTo(200);
            assertClose(Vectors.rows(first.get().json()), model.encode(List.of("one")), REFERENCE_TOLERANCE);
            assertClose(Vectors.rows(client.post("/embed", Map.of("inputs", "two")).json()), model.encode(List.of("two")),
                    REFERENCE_TOLERANCE);
        }
    }
}
