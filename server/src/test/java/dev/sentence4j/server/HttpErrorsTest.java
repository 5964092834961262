package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.Shared;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that HTTP itself refuses, before any route runs, get JSON errors in the API's shape, never
 * Jetty's HTML pages: TEI's {@code {"error", "error_type"}}, OpenAI's {@code {"error": {...}}} on its paths.
 */
class HttpErrorsTest {
    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options);

    static Stream<Arguments> malformed() {
        String big = "X-Big: " + "a".repeat(9000) + "\r\n";
        return Stream.of(
                Arguments.of("GET //embed HTTP/1.1\r\nHost: x\r\n\r\n", 400, "ambiguous uri empty segment"),
                Arguments.of("POST //embed HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 400, "ambiguous uri empty segment"),
                Arguments.of("GET /health/..%2fembed HTTP/1.1\r\nHost: x\r\n\r\n", 400, "ambiguous uri path separator"),
                Arguments.of("GET /% HTTP/1.1\r\nHost: x\r\n\r\n", 400, "the request is not one the server can read"),
                Arguments.of("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "the request is not one the server can read"),
                Arguments.of("GET / HTTP/1.1\r\n\r\n", 400, "no host"),
                Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\n" + big + "\r\n", 431,
                        "the request's headers are larger than the 8192 bytes the server reads"),
                Arguments.of("GET /health HTTP/9.9\r\nHost: x\r\n\r\n", 505, "the server speaks HTTP/1.1 and HTTP/1.0 only"),
                Arguments.of("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404, "no route /nope"),
                Arguments.of("DELETE /embed HTTP/1.1\r\nHost: x\r\n\r\n", 405, "/embed takes POST, not DELETE"),
                Arguments.of("POST /embed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
                        "the request body could not be read"),
                Arguments.of("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
                        "the request body could not be read"),
                Arguments.of("GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n", 404, "no route /v1/chat/completions"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("malformed")
    void answersInJson(String request, int status, String message) {
        try (RawConnection connection = RawConnection.open(SERVER.server().uri())) {
            RawConnection.Reply reply = connection.send(request).read();

            assertThat(reply.status()).as(reply.body()).isEqualTo(status);
            assertThat(reply.contentType()).isEqualTo("application/json");
            if (request.contains(" /v1/")) {
                assertThat(reply.json().at("/error/message").asText()).contains(message);
                assertThat(reply.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
            } else {
                assertThat(reply.json().get("error").asText()).contains(message);
                assertThat(reply.json().get("error_type").asText()).isIn("validation", "not_found");
            }
        }
    }

    /** Issue 24, item 8: HEAD /health answers as GET does, without a body, as load balancers expect. */
    @Test
    void headHealthIsAnswered() {
        Http.Reply reply = SERVER.http().send(SERVER.http().request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEmpty();
    }

    /** Issue 24, item 8: a body declared as plain text is refused with 415, not read as JSON. */
    @Test
    void aPlainTextBodyIsRefusedWith415() {
        Http.Reply reply = SERVER.http().send(SERVER.http().request("/embed").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": \"hello\"}")).build());

        assertThat(reply.status()).as(reply.body()).isEqualTo(415);
        assertThat(reply.json().get("error").asText()).isEqualTo("the request body must be JSON, sent with the header"
                + " 'Content-Type: application/json', not 'text/plain'");
    }

    /** Issue 24, item 6: JSON errors in JSON's terms, without the parser's features and limits by their Java names. */
    @Test
    void jsonErrorsNameNoParserInternals() {
        Http.Reply nan = SERVER.http().post("/embed", "{\"inputs\": NaN}");
        Http.Reply deep = SERVER.http().post("/embed", "{\"inputs\": " + "[".repeat(1500) + "]".repeat(1500) + "}");

        assertThat(nan.status()).isEqualTo(422);
        assertThat(nan.json().get("error").asText()).isEqualTo("the request body is not valid JSON at line 1, column 15: 'NaN' is"
                + " not a JSON number: JSON has no NaN or Infinity");
        assertThat(deep.status()).isEqualTo(422);
        assertThat(deep.json().get("error").asText()).isEqualTo("the request body is not valid JSON: it nests arrays and objects"
                + " 1001 deep, deeper than the 1000 levels the server reads");
    }
}
