package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 64 clients at once, on both APIs, sending requests of one to six texts of mixed lengths: every
 * reply is checked against {@code encode}. The requests must be merged: the model is held at a gate
 * until each client's first request waits in the queue, and those 64 must then run as one call. The
 * lean correctness version of the load benchmark (bench's ServerThroughput measures the speed).
 */
class ConcurrentClientsTest {
    private static final int CLIENTS = 64;
    private static final int REQUESTS_PER_CLIENT = 4;
    /** Room for the first request of every client, however long: six texts of at most 256 tokens. */
    private static final int BATCH_TOKENS = CLIENTS * 6 * 256;

    private record Request(List<String> texts, boolean openAi) {}

    @Test
    void everyClientGetsItsOwnVectorsAndRequestsAreMerged() throws Exception {
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        List<String> pool = mixedLengthTexts();
        Map<String, float[]> expected = new HashMap<>();
        float[][] vectors = model.encode(pool);
        for (int i = 0; i < pool.size(); i++) {
            expected.put(pool.get(i), vectors[i]);
        }
        List<List<Request>> requests = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            Random random = new Random(client);
            List<Request> own = new ArrayList<>();
            for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                List<String> texts = new ArrayList<>();
                for (int t = 1 + random.nextInt(6); t > 0; t--) {
                    texts.add(pool.get(random.nextInt(pool.size())));
                }
                // The first requests all go to TEI: with the same options, they can share one call.
                own.add(new Request(texts, r > 0 && random.nextBoolean()));
            }
            requests.add(own);
        }
        List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        GatedEncoder gated = new GatedEncoder(model);
        Encoder recording = texts -> {
            calls.add(texts.texts());
            return gated.encode(texts);
        };
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        ServerOptions options = TestServer.loopback().withMaxBatchTokens(BATCH_TOKENS);
        try (EmbeddingServer server = EmbeddingServer.start(model, options, recording)) {
            Http http = new Http(server.uri());
            // Both batch runners held at the gate, one request each.
            List<CompletableFuture<float[][]>> holding = new ArrayList<>();
            for (String text : List.of("hold one", "hold two")) {
                holding.add(CompletableFuture.supplyAsync(() -> viaTei(http, List.of(text))));
                gated.awaitEntered();
            }
            List<Future<Integer>> runs = new ArrayList<>();
            for (List<Request> own : requests) {
                runs.add(clients.submit(() -> {
                    int checked = 0;
                    for (Request request : own) {
                        float[][] served = request.openAi() ? viaOpenAi(http, request.texts()) : viaTei(http, request.texts());
                        float[][] encoded = request.texts().stream().map(expected::get).toArray(float[][]::new);
                        assertClose(served, encoded, REFERENCE_TOLERANCE);
                        checked += request.texts().size();
                    }
                    return checked;
                }));
            }
            awaitQueued(http, CLIENTS);
            gated.open();

            int checked = 0;
            for (Future<Integer> run : runs) {
                checked += run.get(5, TimeUnit.MINUTES);
            }
            for (CompletableFuture<float[][]> hold : holding) {
                assertThat(hold.get(1, TimeUnit.MINUTES)).hasNumberOfRows(1);
            }
            assertThat(checked).isEqualTo(requests.stream().flatMap(List::stream).mapToInt(r -> r.texts().size()).sum());
            // The call after the two that held the runners: every client's first request, merged.
            assertThat(calls.get(2)).containsExactlyInAnyOrderElementsOf(
                    requests.stream().flatMap(own -> own.get(0).texts().stream()).toList());
            assertThat(count(http.get("/metrics").body(), "te_request_failure_total{err=\"backend\"}")).isZero();
        } finally {
            clients.shutdownNow();
        }
    }

    /** Waits until the server's queue holds this many requests, as it must while the runners are held. */
    private static void awaitQueued(Http http, int requests) throws InterruptedException {
        for (int attempt = 0; count(http.get("/metrics").body(), "te_queue_size{model=\"" + Shared.MINILM + "\"}") < requests; attempt++) {
            assertThat(attempt).as("polls of /metrics until %d requests queue", requests).isLessThan(6000);
            Thread.sleep(10);
        }
    }

    private static float[][] viaTei(Http http, List<String> texts) {
        Http.Reply reply = http.post("/embed", Map.of("inputs", texts));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Vectors.rows(reply.json());
    }

    private static float[][] viaOpenAi(Http http, List<String> texts) {
        Http.Reply reply = http.post("/v1/embeddings", Map.of("input", texts, "encoding_format", "base64"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<float[]> vectors = new ArrayList<>();
        reply.json().get("data").forEach(item -> vectors.add(Vectors.fromBase64(item.get("embedding").asText())));
        return vectors.toArray(float[][]::new);
    }

    /** STSb sentences, and paragraphs of a few of them (up to about 150 tokens). */
    private static List<String> mixedLengthTexts() throws IOException {
        List<String> sentences = Shared.lines("reference/stsb-dev-sample.txt");
        List<String> texts = new ArrayList<>(sentences);
        for (int i = 0; i + 8 <= 80; i += 8) {
            texts.add(String.join(" ", sentences.subList(i, i + 8)));
        }
        return texts;
    }

    private static long count(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> (long) Double.parseDouble(line.substring(name.length() + 1))).orElseThrow();
    }
}
