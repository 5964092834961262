package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping lets requests in flight finish, and takes no new ones. */
class ShutdownTest {

    @Test
    void aRequestInFlightFinishesBeforeTheServerStops() throws Exception {
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        GatedEncoder encoder = new GatedEncoder(model);
        EmbeddingServer server = EmbeddingServer.start(model, TestServer.loopback(), encoder);
        Http http = new Http(server.uri());
        List<String> texts = List.of("A man is playing a guitar.", "Someone plays music.");
        CompletableFuture<Http.Reply> inFlight = CompletableFuture.supplyAsync(() -> http.post("/embed", Map.of("inputs", texts)));
        encoder.awaitEntered();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
        awaitRefusal(http);
        assertThat(stopping).as("stopping waits for the request in flight").isNotDone();
        assertThat(inFlight).isNotDone();
        assertThat(server.requestsInFlight()).isPositive();
        encoder.open();

        Http.Reply reply = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertClose(Vectors.rows(reply.json()), model.encode(texts), REFERENCE_TOLERANCE);
        stopping.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> http.get("/health")).isInstanceOf(UncheckedIOException.class);
    }

    /** Waits until the server takes no new connection or answers 503, as it does once stopping. */
    private static void awaitRefusal(Http http) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            try {
                if (http.get("/health").status() == 503) {
                    return;
                }
            } catch (UncheckedIOException refused) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server still takes requests");
    }
}
