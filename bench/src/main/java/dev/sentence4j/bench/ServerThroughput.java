package dev.sentence4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.server.EmbeddingServer;
import dev.sentence4j.server.ServerOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server under load, against offline {@code encode} on the same texts: 64 clients on loopback,
 * each sending its next request as soon as its last is answered, requests of one to eight texts
 * (STSb sentences, one text in twenty a paragraph of 200+ tokens). Reports texts per second for
 * offline encode, {@code /embed} (JSON numbers) and {@code /v1/embeddings} (base64), the server's
 * share of offline, and request latency (p50, p99). Every reply is checked against encode after its
 * round, to 1e-5; any difference or failed request fails the run. With {@code --second-model ID}, a
 * server serving both models is then loaded by all clients on each model alone and by half the clients
 * on each at once, requests naming their model; it reports requests per second and latency. With
 * {@code --slow-clients N}, each
 * round also serves {@code /embed} while N more clients trickle request bodies a byte at a time
 * (starting over each time the server cuts them off), and reports its share of {@code /embed}'s
 * throughput without them.
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl bench -am
 * java -cp "bench/target/classes:bench/target/lib/*" dev.sentence4j.bench.ServerThroughput \
 *     [--model ID] [--clients 64] [--requests 1000] [--rounds 3] [--slow-clients 0] [--second-model ID]
 * </pre>
 */
public final class ServerThroughput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float TOLERANCE = 1e-5f;

    private final SentenceTransformer model;
    private final int clients;
    private final List<List<String>> requests;
    private final List<float[][]> expected;
    private final int texts;

    private ServerThroughput(SentenceTransformer model, int clients, List<List<String>> requests) {
        this.model = model;
        this.clients = clients;
        this.requests = requests;
        this.texts = requests.stream().mapToInt(List::size).sum();
        List<String> all = requests.stream().flatMap(List::stream).toList();
        float[][] vectors = model.encode(all);
        this.expected = new ArrayList<>();
        int at = 0;
        for (List<String> request : requests) {
            expected.add(Arrays.copyOfRange(vectors, at, at + request.size()));
            at += request.size();
        }
    }

    /**
     * One phase's result.
     *
     * @param cpuPerText milliseconds of CPU the whole process spent per text, clients included:
     *     unlike throughput, barely moved by other work on the machine
     * @param latencies request latencies in milliseconds, sorted; none offline
     */
    private record Run(double textsPerSecond, double cpuPerText, double[] latencies, double textsPerBatch, double requestsPerSecond) {
        double percentile(double p) {
            return latencies.length == 0 ? 0 : latencies[Math.min(latencies.length - 1, (int) Math.ceil(p * latencies.length) - 1)];
        }
    }

    private enum Route {
        TEI("/embed"),
        OPENAI("/v1/embeddings");

        final String path;

        Route(String path) {
            this.path = path;
        }

        /** A request's body, naming the model when the server serves several. */
        String body(List<String> texts, String model) throws IOException {
            Map<String, Object> body = new HashMap<>(this == TEI ? Map.of("inputs", texts) : Map.of("input", texts,
                    "encoding_format", "base64"));
            if (model != null) {
                body.put("model", model);
            }
            return JSON.writeValueAsString(body);
        }

        float[][] vectors(String reply) throws IOException {
            JsonNode json = JSON.readTree(reply);
            JsonNode rows = this == TEI ? json : json.get("data");
            float[][] vectors = new float[rows.size()][];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = this == TEI ? numbers(rows.get(i)) : base64(rows.get(i).get("embedding").asText());
            }
            return vectors;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String modelId = options.getOrDefault("--model", "sentence-transformers/all-MiniLM-L6-v2");
        int clients = Integer.parseInt(options.getOrDefault("--clients", "64"));
        int count = Integer.parseInt(options.getOrDefault("--requests", "1000"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        int slowClients = Integer.parseInt(options.getOrDefault("--slow-clients", "0"));
        String secondModel = options.get("--second-model");
        System.out.printf(Locale.ROOT, "machine: %d cores, %s, Java %s; load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), Runtime.version(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (SentenceTransformer model = SentenceTransformer.load(modelId);
                EmbeddingServer server = EmbeddingServer.start(model, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
                        .withAutoTruncate(true))) {
            ServerThroughput bench = new ServerThroughput(model, clients, workload(count));
            System.out.printf(Locale.ROOT, "model: %s; %d requests of 1-8 texts (%d texts), %d clients%n",
                    modelId, count, bench.texts, clients);
            bench.serve(server.uri(), Route.TEI, Math.min(count, 200));
            bench.serve(server.uri(), Route.OPENAI, Math.min(count, 200));
            List<Double> teiShare = new ArrayList<>();
            List<Double> openAiShare = new ArrayList<>();
            List<Double> slowShare = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Run offline = bench.offline(EncodeOptions.defaults());
                Run smallRuns = bench.offline(EncodeOptions.defaults().withMaxBatchTokens(EmbeddingServer.RUN_TOKENS));
                Run tei = bench.serve(server.uri(), Route.TEI, count);
                Run openAi = bench.serve(server.uri(), Route.OPENAI, count);
                teiShare.add(tei.textsPerSecond() / offline.textsPerSecond());
                openAiShare.add(openAi.textsPerSecond() / offline.textsPerSecond());
                System.out.printf(Locale.ROOT, "round %d: offline encode %.0f texts/s (%.2f ms CPU/text); with the server's"
                        + " %d-token runs %.0f texts/s (%.2f ms CPU/text)%n", round, offline.textsPerSecond(), offline.cpuPerText(),
                        EmbeddingServer.RUN_TOKENS, smallRuns.textsPerSecond(), smallRuns.cpuPerText());
                report("/embed", tei, offline);
                report("/v1/embeddings base64", openAi, offline);
                if (slowClients > 0) {
                    Run slowed;
                    long cutOff;
                    try (SlowClients slow = SlowClients.start(server.uri(), slowClients)) {
                        slowed = bench.serve(server.uri(), Route.TEI, count);
                        cutOff = slow.cutOff();
                    }
                    slowShare.add(slowed.textsPerSecond() / tei.textsPerSecond());
                    System.out.printf(Locale.ROOT, "  /embed with %d slow clients trickling bodies: %.0f texts/s (%.0f%% of /embed"
                            + " without them), p50 %.0f ms, p99 %.0f ms; %d slow bodies cut off meanwhile%n", slowClients,
                            slowed.textsPerSecond(), 100 * slowed.textsPerSecond() / tei.textsPerSecond(),
                            slowed.percentile(0.5), slowed.percentile(0.99), cutOff);
                }
            }
            if (slowClients > 0) {
                System.out.printf(Locale.ROOT, "median share of /embed throughput with %d slow clients: %.0f%%%n", slowClients,
                        100 * median(slowShare));
            }
            System.out.printf(Locale.ROOT, "median share of offline throughput: /embed %.0f%%, /v1/embeddings %.0f%%;"
                    + " every reply equal to encode to 1e-5; load average now %.2f%n", 100 * median(teiShare),
                    100 * median(openAiShare), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (secondModel != null) {
                twoModels(bench, secondModel, count, rounds);
            }
        }
    }

    /**
     * One server serving this bench's model and a second one: each model alone under all the clients,
     * then both at once, half the clients each, every request naming its model.
     */
    private static void twoModels(ServerThroughput first, String secondId, int count, int rounds) throws Exception {
        try (SentenceTransformer second = SentenceTransformer.load(secondId);
                EmbeddingServer both = EmbeddingServer.start(List.of(first.model, second), ServerOptions.defaults()
                        .withHost("127.0.0.1").withPort(0).withAutoTruncate(true))) {
            ServerThroughput other = new ServerThroughput(second, first.clients, workload(count));
            String firstName = shortName(first.model.name());
            String secondName = shortName(secondId);
            System.out.printf(Locale.ROOT, "two models in one server: %s and %s, /embed, %d clients%n", firstName, secondName,
                    first.clients);
            first.serve(both.uri(), Route.TEI, Math.min(count, 200), firstName, first.clients);
            other.serve(both.uri(), Route.TEI, Math.min(count, 200), secondName, first.clients);
            for (int round = 1; round <= rounds; round++) {
                Run firstAlone = first.serve(both.uri(), Route.TEI, count, firstName, first.clients);
                Run secondAlone = other.serve(both.uri(), Route.TEI, count, secondName, first.clients);
                int half = first.clients / 2;
                ExecutorService pair = Executors.newFixedThreadPool(2);
                long start = System.nanoTime();
                Future<Run> a = pair.submit(() -> first.serve(both.uri(), Route.TEI, count, firstName, half));
                Future<Run> b = pair.submit(() -> other.serve(both.uri(), Route.TEI, count, secondName, first.clients - half));
                Run firstTogether = a.get(20, TimeUnit.MINUTES);
                Run secondTogether = b.get(20, TimeUnit.MINUTES);
                double seconds = (System.nanoTime() - start) / 1e9;
                pair.shutdownNow();
                double[] latencies = new double[firstTogether.latencies().length + secondTogether.latencies().length];
                System.arraycopy(firstTogether.latencies(), 0, latencies, 0, firstTogether.latencies().length);
                System.arraycopy(secondTogether.latencies(), 0, latencies, firstTogether.latencies().length,
                        secondTogether.latencies().length);
                Arrays.sort(latencies);
                Run together = new Run(0, 0, latencies, 0, 2 * count / seconds);
                System.out.printf(Locale.ROOT, "round %d:%n", round);
                System.out.printf(Locale.ROOT, "  %s alone: %.1f requests/s, p50 %.0f ms, p99 %.0f ms%n", firstName,
                        firstAlone.requestsPerSecond(), firstAlone.percentile(0.5), firstAlone.percentile(0.99));
                System.out.printf(Locale.ROOT, "  %s alone: %.1f requests/s, p50 %.0f ms, p99 %.0f ms%n", secondName,
                        secondAlone.requestsPerSecond(), secondAlone.percentile(0.5), secondAlone.percentile(0.99));
                System.out.printf(Locale.ROOT, "  both at once (%d clients each): %.1f requests/s in all (%s %.1f, %s %.1f),"
                        + " p50 %.0f ms, p99 %.0f ms%n", half, together.requestsPerSecond(), firstName,
                        firstTogether.requestsPerSecond(), secondName, secondTogether.requestsPerSecond(), together.percentile(0.5),
                        together.percentile(0.99));
            }
            System.out.println("every reply equal to its model's encode to 1e-5");
        }
    }

    private static String shortName(String id) {
        return id.substring(id.lastIndexOf('/') + 1);
    }

    private static void report(String route, Run run, Run offline) {
        System.out.printf(Locale.ROOT, "  %s: %.0f texts/s (%.0f%% of offline), %.1f requests/s, %.2f ms CPU/text, p50 %.0f ms,"
                + " p99 %.0f ms, %.1f texts per merged batch%n", route, run.textsPerSecond(),
                100 * run.textsPerSecond() / offline.textsPerSecond(), run.requestsPerSecond(), run.cpuPerText(),
                run.percentile(0.5), run.percentile(0.99), run.textsPerBatch());
    }

    /** Requests of one to eight texts: STSb sentences, and one text in twenty a paragraph. */
    private static List<List<String>> workload(int count) {
        List<String> sentences = BenchTexts.sentences();
        List<String> paragraphs = BenchTexts.paragraphs();
        Random random = new Random(42);
        List<List<String>> requests = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            List<String> request = new ArrayList<>();
            for (int t = 1 + random.nextInt(8); t > 0; t--) {
                request.add(random.nextInt(20) == 0
                        ? paragraphs.get(random.nextInt(paragraphs.size()))
                        : sentences.get(random.nextInt(sentences.size())));
            }
            requests.add(request);
        }
        return requests;
    }

    /** One encode call on all the requests' texts. */
    private Run offline(EncodeOptions options) {
        List<String> all = requests.stream().flatMap(List::stream).toList();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        model.encode(all, options);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(all.size() / seconds, (cpuNanos() - cpu) / 1e6 / all.size(), new double[0], all.size(),
                requests.size() / seconds);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Sends the first {@code count} requests from all clients at once; checks every reply once all are in. */
    private Run serve(URI base, Route route, int count) throws Exception {
        return serve(base, route, count, null, clients);
    }

    /**
     * Sends the first {@code count} requests from {@code clientCount} clients at once, naming the model
     * unless {@code model} is null; checks every reply once all are in.
     */
    private Run serve(URI base, Route route, int count, String model, int clientCount) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HttpRequest> prepared = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            prepared.add(HttpRequest.newBuilder(base.resolve(route.path)).timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(route.body(requests.get(i), model))).build());
        }
        String[] replies = new String[count];
        double[] latencies = new double[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clientCount);
        String batchCount = "te_batch_next_size_count{model=\"" + this.model.name() + "\"}";
        double batchesBefore = metric(http, base, batchCount);
        long cpu = cpuNanos();
        long start = System.nanoTime();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < clientCount; c++) {
                runs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        HttpResponse<String> reply = http.send(prepared.get(i), HttpResponse.BodyHandlers.ofString());
                        latencies[i] = (System.nanoTime() - sent) / 1e6;
                        if (reply.statusCode() != 200) {
                            throw new IllegalStateException("request " + i + " failed: " + reply.statusCode() + " " + reply.body());
                        }
                        replies[i] = reply.body();
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpuSpent = cpuNanos() - cpu;
        double batches = metric(http, base, batchCount) - batchesBefore;
        int sent = 0;
        for (int i = 0; i < count; i++) {
            check(i, route.vectors(replies[i]));
            sent += requests.get(i).size();
        }
        Arrays.sort(latencies);
        return new Run(sent / seconds, cpuSpent / 1e6 / sent, latencies, sent / batches, count / seconds);
    }

    /** A value of the server's Prometheus metrics. */
    private static double metric(HttpClient http, URI base, String name) throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(
                line.substring(name.length() + 1))).findFirst().orElseThrow(() -> new IllegalStateException("no metric " + name));
    }

    private void check(int request, float[][] served) {
        float[][] wanted = expected.get(request);
        if (served.length != wanted.length) {
            throw new IllegalStateException("request " + request + ": " + served.length + " vectors for " + wanted.length + " texts");
        }
        for (int v = 0; v < wanted.length; v++) {
            for (int d = 0; d < wanted[v].length; d++) {
                if (Math.abs(served[v][d] - wanted[v][d]) > TOLERANCE) {
                    throw new IllegalStateException("request " + request + ", vector " + v + ", value " + d + ": served "
                            + served[v][d] + ", encode gives " + wanted[v][d]);
                }
            }
        }
    }

    private static float[] numbers(JsonNode list) {
        float[] vector = new float[list.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = list.get(i).floatValue();
        }
        return vector;
    }

    private static float[] base64(String text) {
        byte[] bytes = Base64.getDecoder().decode(text);
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static Map<String, String> options(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --model ID --clients N --requests N --rounds N"
                    + " --slow-clients N --second-model ID");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!List.of("--model", "--clients", "--requests", "--rounds", "--slow-clients", "--second-model").contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --model, --clients, --requests, --rounds, --slow-clients, --second-model");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
