package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.Shared;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import dev.sentence4j.TokenizedTexts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests to a CrossEncoder ({@code /rerank}) and to a SparseEncoder ({@code /embed_sparse})
 * are merged into one call of the model, as an embedder's are ({@link ConcurrentClientsTest}): both batch
 * runners are held at a gate, the requests queue until {@code /metrics} counts them all, and once the gate
 * opens they run as one call; every reply is still what the model gives the request alone.
 */
class MergedRequestsTest {
    private static final int REQUESTS = 6;
    private static final int TEXTS_EACH = 3;
    private static final List<String> TEXTS = Shared.lines("reference/stsb-dev-sample.txt").subList(0, REQUESTS * TEXTS_EACH);

    /** Each merged call's input count, in order; calls wait at a gate until the test opens it. */
    private static final class HeldCalls implements Consumer<TokenizedTexts<?>> {
        final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        final Gate gate = new Gate();

        @Override
        public void accept(TokenizedTexts<?> inputs) {
            sizes.add(inputs.size());
            gate.pass();
        }
    }

    private static List<String> textsOf(int request) {
        return TEXTS.subList(request * TEXTS_EACH, (request + 1) * TEXTS_EACH);
    }

    @Test
    void rerankRequestsRunAsOneCall() throws Exception {
        try (CrossEncoder model = CrossEncoder.load(Shared.path("fixtures/st6/models/cross-encoder-bert").toString())) {
            HeldCalls calls = new HeldCalls();
            List<Http.Reply> replies = serveHeld(model, calls, "/rerank",
                    request -> Map.of("query", "query " + request, "texts", textsOf(request)));
            for (int request = 0; request < REQUESTS; request++) {
                Ranks.assertRanks(replies.get(request).json(), "score", model.rank("query " + request, textsOf(request), TEXTS_EACH),
                        1e-5f);
            }
            assertThat(calls.sizes).as("pairs per call: two holding the runners, then every request's").hasSize(3)
                    .endsWith(REQUESTS * TEXTS_EACH);
        }
    }

    @Test
    void sparseRequestsRunAsOneCall() throws Exception {
        try (SparseEncoder model = SparseEncoder.load(Shared.path("fixtures/st6/models/splade-bert").toString())) {
            HeldCalls calls = new HeldCalls();
            List<Http.Reply> replies = serveHeld(model, calls, "/embed_sparse", request -> Map.of("inputs", textsOf(request)));
            for (int request = 0; request < REQUESTS; request++) {
                List<SparseVector> expected = model.encode(textsOf(request));
                JsonNode vectors = replies.get(request).json();
                assertThat(vectors).hasSize(TEXTS_EACH);
                for (int t = 0; t < TEXTS_EACH; t++) {
                    JsonNode entries = vectors.get(t);
                    assertThat(entries).hasSize(expected.get(t).size());
                    for (int k = 0; k < entries.size(); k++) {
                        assertThat(entries.get(k).get("index").asInt()).isEqualTo(expected.get(t).indices()[k]);
                        assertThat(entries.get(k).get("value").floatValue()).isCloseTo(expected.get(t).values()[k], within(1e-5f));
                    }
                }
            }
            assertThat(calls.sizes).as("texts per call: two holding the runners, then every request's").hasSize(3)
                    .endsWith(REQUESTS * TEXTS_EACH);
        }
    }

    /** Holds both runners, sends the requests at once, waits until all of them queue, opens the gate: their replies. */
    private static List<Http.Reply> serveHeld(AutoCloseable model, HeldCalls calls, String path,
            java.util.function.IntFunction<Map<String, Object>> request) throws Exception {
        ExecutorService clients = Executors.newCachedThreadPool();
        try (EmbeddingServer server = EmbeddingServer.start(List.of(model), TestServer.loopback(), calls)) {
            Http http = new Http(server.uri());
            List<Future<Http.Reply>> holding = new ArrayList<>();
            for (int runner = 0; runner < 2; runner++) {
                int hold = runner;
                holding.add(clients.submit(() -> http.post(path, request.apply(hold))));
                calls.gate.awaitArrival();
            }
            List<Future<Http.Reply>> sent = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int index = i;
                sent.add(clients.submit(() -> http.post(path, request.apply(index))));
            }
            awaitQueued(http, REQUESTS, sent);
            calls.gate.open();
            List<Http.Reply> replies = new ArrayList<>();
            for (Future<Http.Reply> reply : sent) {
                replies.add(reply.get(2, TimeUnit.MINUTES));
                assertThat(replies.get(replies.size() - 1).status()).as(replies.get(replies.size() - 1).body()).isEqualTo(200);
            }
            for (Future<Http.Reply> hold : holding) {
                assertThat(hold.get(2, TimeUnit.MINUTES).status()).isEqualTo(200);
            }
            return replies;
        } finally {
            // A failed check must not leave the runners held: closing the server waits for them.
            calls.gate.open();
            clients.shutdownNow();
        }
    }

    /** Waits until the model's queue holds this many requests, as it must while both runners are held. */
    private static void awaitQueued(Http http, int requests, List<Future<Http.Reply>> sent) throws Exception {
        for (int attempt = 0; queued(http.get("/metrics").body()) < requests; attempt++) {
            List<String> answered = new ArrayList<>();
            for (Future<Http.Reply> reply : sent) {
                if (reply.isDone()) {
                    answered.add(reply.get().toString());
                }
            }
            assertThat(answered).as("requests answered while the runners are held").isEmpty();
            assertThat(attempt).as("polls of /metrics until %d requests queue", requests).isLessThan(3000);
            Thread.sleep(10);
        }
    }

    private static long queued(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("te_queue_size{")).findFirst()
                .map(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).orElse(0L);
    }
}
