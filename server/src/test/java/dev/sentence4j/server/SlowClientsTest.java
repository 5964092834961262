package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.Shared;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients whose bodies trickle in or stop hold no slot of the requests in flight: more of them than
 * there are slots leave real requests served, and each is cut off with 408 once too slow.
 */
class SlowClientsTest {
    private static final int SLOTS = 4;
    private static final String SLOW_HEAD = "POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 40\r\n\r\n";

    /** A minimum rate no body trickling a byte at a time can meet; an idle timeout short enough to wait for. */
    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options.withMaxConcurrentRequests(SLOTS)
            .withMinRequestDataRate(100_000).withIdleTimeout(Duration.ofSeconds(2)));

    @Test
    void slowBodiesTakeNoSlotAndAreCutOffWith408() throws InterruptedException {
        List<RawConnection> trickling = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * SLOTS; i++) {
                // The headers and the first byte of a 40-byte body.
                trickling.add(RawConnection.open(SERVER.server().uri()).send(SLOW_HEAD + "{"));
            }
            RawConnection stalled = RawConnection.open(SERVER.server().uri()).send(SLOW_HEAD + "{");
            awaitReceived(2 * SLOTS + 1);

            Http.Reply real = SERVER.http().post("/embed", Map.of("inputs", "A man is playing a guitar."));

            assertThat(real.status()).as("a real request among %d slow ones, %d slots", 2 * SLOTS + 1, SLOTS).isEqualTo(200);
            assertClose(Vectors.rows(real.json()), SERVER.model().encode(List.of("A man is playing a guitar.")), REFERENCE_TOLERANCE);
            // A byte every 200 ms, far below the minimum rate though never idle, until the server cuts each off
            // (after its grace second); 30 bytes at most, so no body ever completes.
            List<RawConnection> waiting = new ArrayList<>(trickling);
            for (int sent = 1; sent < 30 && !waiting.isEmpty(); sent++) {
                waiting.removeIf(RawConnection::hasReply);
                waiting.forEach(connection -> connection.send(" "));
                Thread.sleep(200);
            }
            for (RawConnection connection : trickling) {
                RawConnection.Reply cut = connection.read();
                assertThat(cut.status()).as(cut.body()).isEqualTo(408);
                assertThat(cut.contentType()).isEqualTo("application/json");
                assertThat(cut.json().get("error").asText()).isEqualTo("the request body arrived too slowly: the server takes"
                        + " bodies that arrive at 100000 bytes/s or more, with no pause of 2 s");
            }
            RawConnection.Reply timedOut = stalled.read();
            stalled.close();
            assertThat(timedOut.status()).as(timedOut.body()).isEqualTo(408);
            assertThat(timedOut.json().get("error_type").asText()).isEqualTo("validation");
            assertThat(SERVER.http().get("/metrics").body()).contains("te_request_in_flight{model=\"" + SERVER.model().name() + "\"} 0");
        } finally {
            trickling.forEach(RawConnection::close);
        }
    }

    /**
     * Issue 24, item 8: headers sent a line every 200 ms, never idle for the 2 s idle timeout, still must
     * all arrive within it: the server closes the connection rather than wait on them.
     */
    @Test
    void tricklingHeadersAreCutOffAtTheIdleTimeout() throws InterruptedException {
        try (RawConnection connection = RawConnection.open(SERVER.server().uri()).send("POST /embed HTTP/1.1\r\nHost: x\r\n")) {
            long start = System.nanoTime();
            boolean closed = false;
            // 60 lines, 12 s: six times the deadline.
            for (int line = 0; line < 60 && !closed; line++) {
                Thread.sleep(200);
                try {
                    connection.send("X-Slow-" + line + ": y\r\n");
                    closed = connection.closedByServer();
                } catch (java.io.UncheckedIOException e) {
                    closed = true;
                }
            }

            assertThat(closed).as("closed while the headers trickled in").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    /** Polls /metrics until the server has begun this many /embed requests. */
    private static void awaitReceived(int count) {
        String received = "te_request_count_total{route=\"/embed\"} " + (double) count;
        for (int attempt = 0; attempt < 5000; attempt++) {
            if (SERVER.http().get("/metrics").body().lines().anyMatch(received::equals)) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the server never began " + count + " requests: " + SERVER.http().get("/metrics").body());
    }
}
