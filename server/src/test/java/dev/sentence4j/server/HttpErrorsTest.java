package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.Shared;
import java.util.stream.Stream;
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
}
