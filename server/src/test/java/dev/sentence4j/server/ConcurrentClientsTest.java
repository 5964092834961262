package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 64 clients at once, on both APIs, sending requests of one to six texts of mixed lengths: every
 * reply is checked against {@code encode}, and the requests must have been merged. The lean
 * correctness version of the load benchmark (bench's ServerThroughput measures the speed).
 */
class ConcurrentClientsTest {
    private static final int CLIENTS = 64;
    private static final int REQUESTS_PER_CLIENT = 4;

    @Test
    void everyClientGetsItsOwnVectorsAndRequestsAreMerged() throws Exception {
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        List<String> pool = mixedLengthTexts();
        Map<String, float[]> expected = new HashMap<>();
        float[][] vectors = model.encode(pool);
        for (int i = 0; i < pool.size(); i++) {
            expected.put(pool.get(i), vectors[i]);
        }
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (EmbeddingServer server = EmbeddingServer.start(model, TestServer.loopback())) {
            Http http = new Http(server.uri());
            List<Future<Integer>> runs = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                Random random = new Random(client);
                runs.add(clients.submit(() -> {
                    int checked = 0;
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        List<String> texts = new ArrayList<>();
                        for (int t = 1 + random.nextInt(6); t > 0; t--) {
                            texts.add(pool.get(random.nextInt(pool.size())));
                        }
                        float[][] served = random.nextBoolean() ? viaTei(http, texts) : viaOpenAi(http, texts);
                        assertClose(served, texts.stream().map(expected::get).toArray(float[][]::new), REFERENCE_TOLERANCE);
                        checked += texts.size();
                    }
                    return checked;
                }));
            }
            int checked = 0;
            for (Future<Integer> run : runs) {
                checked += run.get(5, TimeUnit.MINUTES);
            }
            assertThat(checked).isGreaterThan(CLIENTS * REQUESTS_PER_CLIENT);
            String metrics = http.get("/metrics").body();
            assertThat(count(metrics, "te_batch_next_size_count"))
                    .as("merged batches, fewer than the %d requests", CLIENTS * REQUESTS_PER_CLIENT)
                    .isLessThan(CLIENTS * REQUESTS_PER_CLIENT / 2);
            assertThat(count(metrics, "te_request_failure{err=\"backend\"}")).isZero();
        } finally {
            clients.shutdownNow();
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
