package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** With an OTLP endpoint, each request's span reaches a collector, in the caller's trace. */
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    /** A collector that keeps the body of every POST to /v1/traces. */
    private static final class Collector extends Handler.Abstract {
        final List<byte[]> exports = new CopyOnWriteArrayList<>();

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (request.getHttpURI().getPath().equals("/v1/traces")
                    && request.getHeaders().get("Content-Type").equals("application/x-protobuf")) {
                exports.add(Content.Source.asByteBuffer(request).array());
            }
            response.setStatus(200);
            callback.succeeded();
            return true;
        }

        /** Whether any export holds these bytes. */
        boolean received(byte[] wanted) {
            return exports.stream().anyMatch(body -> indexOf(body, wanted) >= 0);
        }

        private static int indexOf(byte[] body, byte[] wanted) {
            outer:
            for (int i = 0; i + wanted.length <= body.length; i++) {
                for (int j = 0; j < wanted.length; j++) {
                    if (body[i + j] != wanted[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    @Test
    void sendsASpanPerRequestInTheCallersTrace() throws Exception {
        Server collectorServer = new Server();
        ServerConnector connector = new ServerConnector(collectorServer);
        connector.setHost("127.0.0.1");
        collectorServer.addConnector(connector);
        Collector collector = new Collector();
        collectorServer.setHandler(collector);
        collectorServer.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            try (EmbeddingServer server = EmbeddingServer.start(TestModels.get(Shared.MINILM),
                    TestServer.loopback().withOtlpEndpoint(endpoint))) {
                Http http = new Http(server.uri());
                Http.Reply embedded = http.post("/embed", Map.of("inputs", "a traced text"),
                        "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
                Http.Reply refused = http.post("/rerank", Map.of("query", "q", "texts", List.of("a")));
                assertThat(embedded.status()).isEqualTo(200);
                assertThat(refused.status()).isEqualTo(424);
            }
            // Closing the server sends the spans still buffered.
            assertThat(collector.exports).isNotEmpty();
            assertThat(collector.received(bytes("POST /embed"))).as("the /embed span").isTrue();
            assertThat(collector.received(bytes("POST /rerank"))).as("the /rerank span").isTrue();
            assertThat(collector.received(HexFormat.of().parseHex(TRACE_ID))).as("the caller's trace id").isTrue();
            assertThat(collector.received(bytes("sentence4j"))).as("the service name").isTrue();
        } finally {
            collectorServer.stop();
        }
    }

    @Test
    void refusesAnEndpointThatIsNotAnHttpAddress() {
        assertThatThrownBy(() -> TestServer.loopback().withOtlpEndpoint(URI.create("localhost:4317")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OTLP endpoint must be an http or https address such as http://localhost:4318, got localhost:4317");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
