package dev.sentence4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.server.EmbeddingServer;
import dev.sentence4j.server.ServerOptions;
import dev.sentence4j.server.grpc.tei.EmbedGrpc;
import dev.sentence4j.server.grpc.tei.EmbedRequest;
import dev.sentence4j.server.grpc.tei.EmbedResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The server's two APIs under the same load: TEI's {@code POST /embed} over HTTP/1.1 and TEI's gRPC
 * {@code tei.v1.Embed/Embed} over one HTTP/2 channel, one text per request as TEI's gRPC API takes them
 * (STSb sentences, one text in twenty a paragraph of 200+ tokens), from 64 closed-loop clients on
 * loopback. First one model served alone, then a server of two models with half the clients on each,
 * every request naming its model (HTTP's {@code model} field, gRPC's {@code model} header). Each round
 * runs HTTP and gRPC back to back, in alternating order, so that a shared machine's drifting load falls
 * on both alike; it reports requests per second and latency (p50, p99). Every reply is checked against
 * the model's {@code encode}, to 1e-5.
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl bench -am
 * java -cp "bench/target/classes:bench/target/lib/*" dev.sentence4j.bench.ProtocolThroughput \
 *     [--model ID] [--second-model ID] [--clients 64] [--requests 400] [--rounds 2]
 * </pre>
 */
public final class ProtocolThroughput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float TOLERANCE = 1e-5f;

    /** One model's requests and what encode gives for them. */
    private record Load(String name, List<String> texts, float[][] expected) {}

    /** One phase's requests per second and sorted latencies, in milliseconds. */
    private record Run(double requestsPerSecond, double[] latencies) {
        double percentile(double p) {
            return latencies[Math.min(latencies.length - 1, (int) Math.ceil(p * latencies.length) - 1)];
        }

        static Run merged(Run a, Run b, double requestsPerSecond) {
            double[] all = new double[a.latencies.length + b.latencies.length];
            System.arraycopy(a.latencies, 0, all, 0, a.latencies.length);
            System.arraycopy(b.latencies, 0, all, a.latencies.length, b.latencies.length);
            Arrays.sort(all);
            return new Run(requestsPerSecond, all);
        }
    }

    /** How one client sends one text and gets its vector. */
    @FunctionalInterface
    private interface Call {
        float[] embed(String text) throws Exception;
    }

    private ProtocolThroughput() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String firstId = options.getOrDefault("--model", "sentence-transformers/all-MiniLM-L6-v2");
        String secondId = options.getOrDefault("--second-model", "BAAI/bge-small-en-v1.5");
        int clients = Integer.parseInt(options.getOrDefault("--clients", "64"));
        int count = Integer.parseInt(options.getOrDefault("--requests", "400"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "2"));
        System.out.printf(Locale.ROOT, "machine: %d cores, %s, Java %s; load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), Runtime.version(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ServerOptions serving = ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withGrpcPort(0).withAutoTruncate(true);
        try (SentenceTransformer first = SentenceTransformer.load(firstId);
                SentenceTransformer second = SentenceTransformer.load(secondId)) {
            Load firstLoad = load(first, count, 42);
            Load secondLoad = load(second, count, 43);
            System.out.printf(Locale.ROOT, "%d requests of one text per phase, %d clients%n", count, clients);
            try (EmbeddingServer server = EmbeddingServer.start(first, serving)) {
                System.out.printf(Locale.ROOT, "one model served: %s%n", firstLoad.name());
                compare(server, rounds, (protocol, warm) -> protocol.run(server, firstLoad, false, clients, warm ? 64 : count));
            }
            try (EmbeddingServer server = EmbeddingServer.start(List.of(first, second), serving)) {
                System.out.printf(Locale.ROOT, "two models served, both loaded at once: %s and %s, %d clients each%n",
                        firstLoad.name(), secondLoad.name(), clients / 2);
                compare(server, rounds, (protocol, warm) -> {
                    int n = warm ? 64 : count;
                    ExecutorService pair = Executors.newFixedThreadPool(2);
                    try {
                        long start = System.nanoTime();
                        Future<Run> a = pair.submit(() -> protocol.run(server, firstLoad, true, clients / 2, n));
                        Future<Run> b = pair.submit(() -> protocol.run(server, secondLoad, true, clients - clients / 2, n));
                        Run one = a.get(30, TimeUnit.MINUTES);
                        Run other = b.get(30, TimeUnit.MINUTES);
                        return Run.merged(one, other, 2 * n / ((System.nanoTime() - start) / 1e9));
                    } finally {
                        pair.shutdownNow();
                    }
                });
            }
        }
        System.out.printf(Locale.ROOT, "every reply equal to its model's encode to 1e-5; load average now %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The two APIs. */
    private enum Protocol {
        HTTP, GRPC;

        /** Sends a model's first {@code count} texts from {@code clients} clients, naming the model if asked; checks every reply. */
        Run run(EmbeddingServer server, Load load, boolean named, int clients, int count) throws Exception {
            if (this == HTTP) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI embed = server.uri().resolve("/embed");
                return ProtocolThroughput.run(load, clients, count, text -> {
                    Map<String, Object> body = new HashMap<>(Map.of("inputs", text));
                    if (named) {
                        body.put("model", load.name());
                    }
                    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(embed).timeout(Duration.ofMinutes(5))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (reply.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + reply.statusCode() + ": " + reply.body());
                    }
                    JsonNode vector = JSON.readTree(reply.body()).get(0);
                    float[] values = new float[vector.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = vector.get(i).floatValue();
                    }
                    return values;
                });
            }
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow()).usePlaintext()
                    .build();
            try {
                EmbedGrpc.EmbedBlockingStub stub = EmbedGrpc.newBlockingStub(channel);
                if (named) {
                    Metadata headers = new Metadata();
                    headers.put(Metadata.Key.of("model", Metadata.ASCII_STRING_MARSHALLER), load.name());
                    stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
                }
                EmbedGrpc.EmbedBlockingStub calls = stub;
                return ProtocolThroughput.run(load, clients, count, text -> {
                    EmbedResponse reply = calls.withDeadlineAfter(5, TimeUnit.MINUTES).embed(EmbedRequest.newBuilder()
                            .setInputs(text).build());
                    float[] values = new float[reply.getEmbeddingsCount()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = reply.getEmbeddings(i);
                    }
                    return values;
                });
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One phase: a protocol, warming up or measured. */
    @FunctionalInterface
    private interface Phase {
        Run run(Protocol protocol, boolean warm) throws Exception;
    }

    /** Warms both protocols up, then runs both each round, in alternating order, and prints each round. */
    private static void compare(EmbeddingServer server, int rounds, Phase phase) throws Exception {
        phase.run(Protocol.HTTP, true);
        phase.run(Protocol.GRPC, true);
        for (int round = 1; round <= rounds; round++) {
            List<Protocol> order = round % 2 == 1 ? List.of(Protocol.HTTP, Protocol.GRPC) : List.of(Protocol.GRPC, Protocol.HTTP);
            Map<Protocol, Run> runs = new HashMap<>();
            for (Protocol protocol : order) {
                runs.put(protocol, phase.run(protocol, false));
            }
            Run http = runs.get(Protocol.HTTP);
            Run grpc = runs.get(Protocol.GRPC);
            System.out.printf(Locale.ROOT, "round %d (%s first): HTTP /embed %.1f requests/s, p50 %.0f ms, p99 %.0f ms;"
                    + " gRPC Embed %.1f requests/s, p50 %.0f ms, p99 %.0f ms; gRPC/HTTP %.2f%n", round, order.get(0),
                    http.requestsPerSecond(), http.percentile(0.5), http.percentile(0.99), grpc.requestsPerSecond(),
                    grpc.percentile(0.5), grpc.percentile(0.99), grpc.requestsPerSecond() / http.requestsPerSecond());
        }
    }

    /** Sends the first {@code count} texts from {@code clients} closed-loop clients; checks every reply once all are in. */
    private static Run run(Load load, int clients, int count, Call call) throws Exception {
        float[][] replies = new float[count][];
        double[] latencies = new double[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                runs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        replies[i] = call.embed(load.texts().get(i));
                        latencies[i] = (System.nanoTime() - sent) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < count; i++) {
            check(load, i, replies[i]);
        }
        Arrays.sort(latencies);
        return new Run(count / seconds, latencies);
    }

    /** A model's texts: STSb sentences, and one text in twenty a paragraph; with what encode gives for each. */
    private static Load load(SentenceTransformer model, int count, long seed) {
        List<String> sentences = BenchTexts.sentences();
        List<String> paragraphs = BenchTexts.paragraphs();
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(random.nextInt(20) == 0 ? paragraphs.get(random.nextInt(paragraphs.size()))
                    : sentences.get(random.nextInt(sentences.size())));
        }
        String name = model.name().substring(model.name().lastIndexOf('/') + 1);
        return new Load(name, texts, model.encode(texts));
    }

    private static void check(Load load, int request, float[] served) {
        float[] wanted = load.expected()[request];
        if (served.length != wanted.length) {
            throw new IllegalStateException(load.name() + " request " + request + ": " + served.length + " values, encode gives "
                    + wanted.length);
        }
        for (int d = 0; d < wanted.length; d++) {
            if (Math.abs(served[d] - wanted[d]) > TOLERANCE) {
                throw new IllegalStateException(load.name() + " request " + request + ", value " + d + ": served " + served[d]
                        + ", encode gives " + wanted[d]);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        List<String> known = List.of("--model", "--second-model", "--clients", "--requests", "--rounds");
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: " + String.join(" N, ", known) + " N");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + String.join(", ", known));
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
