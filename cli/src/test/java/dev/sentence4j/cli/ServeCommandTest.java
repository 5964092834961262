package dev.sentence4j.cli;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.ChildJvm;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.RankedText;
import dev.sentence4j.TestModels;
import dev.sentence4j.io.Npy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    private static final Pattern SERVING = Pattern.compile("sentence4j: serving .* on (http://\\S+/) .*");
    private static final int CLIENT_RECEIVE_BUFFER = 64 * 1024;

    @Test
    void refusesBadOptionsBeforeLoadingTheModel() {
        CommandRun tokens = CommandRun.of("serve", "--max-batch-tokens", "0");
        CommandRun port = CommandRun.of("serve", "--port", "70000");

        assertThat(tokens.status()).isEqualTo(2);
        assertThat(tokens.errLines()).containsExactly(
                "sentence4j: max batch tokens must be at least 1, got 0; see 'sentence4j serve --help'");
        assertThat(port.status()).isEqualTo(2);
        assertThat(port.errLines()).containsExactly(
                "sentence4j: port must be between 0 and 65535, got 70000; see 'sentence4j serve --help'");
    }

    @Test
    void saysWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun run = CommandRun.of("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.errLines()).containsExactly(
                    "sentence4j: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
        }
    }

    @Test
    void servesGrpcOnlyOnAPortItIsGiven() throws IOException {
        CommandRun outOfRange = CommandRun.of("serve", "--grpc-port", "70000");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun run = CommandRun.of("serve", "--host", "127.0.0.1", "--port", "0", "--grpc-port",
                    Integer.toString(taken.getLocalPort()));

            assertThat(outOfRange.status()).isEqualTo(2);
            assertThat(outOfRange.errLines()).containsExactly(
                    "sentence4j: gRPC port must be between 0 and 65535, got 70000; see 'sentence4j serve --help'");
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.errLines()).containsExactly(
                    "sentence4j: cannot listen for gRPC on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
        }
    }

    /**
     * The real command in a JVM of its own, stopped by SIGTERM while a request is in flight: that request
     * still gets its vectors, and the server exits cleanly after it. The request is held in flight by
     * this client, not by timing: its reply is larger than the sockets' buffers can hold, so the server
     * cannot finish it until the client reads, which it does only once the server says it is stopping.
     */
    @Test
    void sigtermLetsTheRequestInFlightFinish() throws Exception {
        List<String> seeds = Files.readAllLines(Shared.path("data/seed-sentences.txt"), StandardCharsets.UTF_8);
        float[][] reference = Npy.read(Shared.path("reference/seed-sentences.all-MiniLM-L6-v2.npy"));
        // A vector's JSON takes over 3 kB; one-word texts keep the encoding quick.
        int count = (int) (2 * (largestSendBuffer() + CLIENT_RECEIVE_BUFFER) / 3000);
        List<String> texts = new ArrayList<>(seeds);
        texts.addAll(Collections.nCopies(count, "a"));
        Process server = serve("--max-client-batch-size", Integer.toString(texts.size()));
        try (Socket client = new Socket()) {
            ServerLog log = ServerLog.read(server);
            URI base = log.awaitServing();
            client.setReceiveBufferSize(CLIENT_RECEIVE_BUFFER);
            client.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("inputs", texts));
            OutputStream out = client.getOutputStream();
            out.write(("POST /embed HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = client.getInputStream();
            // The texts are encoded once the reply starts; the rest of it waits for this client.
            assertThat(readLine(in)).isEqualTo("HTTP/1.1 200 OK");

            // SIGTERM; unlike Process.destroy, this leaves the server's stderr open to read.
            assertThat(server.toHandle().destroy()).isTrue();
            log.awaitLine("sentence4j: stopping; letting 1 request in flight finish");
            assertThat(server.isAlive()).as("the server waits for the request in flight").isTrue();

            float[][] vectors = new ObjectMapper().readValue(readBody(in), float[][].class);
            assertThat(vectors).hasNumberOfRows(texts.size());
            assertClose(Arrays.copyOf(vectors, seeds.size()), reference, REFERENCE_TOLERANCE, seeds);
            float[] word = TestModels.get(Shared.MINILM).encode("a");
            for (int i = seeds.size(); i < texts.size(); i++) {
                assertClose(vectors[i], word, REFERENCE_TOLERANCE);
            }
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();
            assertThat(server.exitValue()).as("a clean exit, not a crash").isZero();
            log.join();
            assertThat(log.lines()).noneMatch(line -> line.contains("Exception"));
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * serve loads whichever family each folder holds, several in one process, listed here in an @FILE:
     * the embedder (first) answers requests that name no model, the cross-encoder those that name it.
     */
    @Test
    void servesAnEmbedderAndACrossEncoderNamedInAnArgumentFile(@TempDir Path temp) throws Exception {
        Path models = temp.resolve("models.txt");
        Files.write(models, List.of("--model", Shared.MINILM, "--model", Shared.arg(RerankCommandTest.MODEL)));
        Process server = serve("@" + models);
        try {
            ServerLog log = ServerLog.read(server);
            URI base = log.awaitServing();
            assertThat(log.lines()).anyMatch(line -> line.contains("TEI: /rerank, /predict; Cohere/Jina: /v1/rerank"));
            HttpClient client = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> rerankBody = Map.of("query", "A man is eating.", "texts", List.of("A man eats food.", "A plane takes off."));
            HttpResponse<String> ranks = post(client, base.resolve("/rerank"), json.writeValueAsString(
                    Map.of("model", "cross-encoder-bert", "query", rerankBody.get("query"), "texts", rerankBody.get("texts"))));
            HttpResponse<String> unnamed = post(client, base.resolve("/rerank"), json.writeValueAsString(rerankBody));
            HttpResponse<String> embed = post(client, base.resolve("/embed"), "{\"inputs\": \"a text\"}");

            assertThat(ranks.statusCode()).as(ranks.body()).isEqualTo(200);
            assertThat(json.readTree(ranks.body())).hasSize(2);
            try (CrossEncoder model = CrossEncoder.load(Shared.arg(RerankCommandTest.MODEL))) {
                List<RankedText> expected = model.rank("A man is eating.", List.of("A man eats food.", "A plane takes off."), 2);
                for (int r = 0; r < 2; r++) {
                    assertThat(json.readTree(ranks.body()).get(r).get("index").asInt()).isEqualTo(expected.get(r).index());
                    assertThat(json.readTree(ranks.body()).get(r).get("score").floatValue())
                            .isCloseTo(expected.get(r).score(), org.assertj.core.api.Assertions.within(1e-6f));
                }
            }
            assertThat(unnamed.statusCode()).as(unnamed.body()).isEqualTo(424);
            assertThat(unnamed.body()).contains("send \\\"model\\\": cross-encoder-bert for /rerank");
            assertThat(embed.statusCode()).as(embed.body()).isEqualTo(200);
            assertClose(json.readValue(embed.body(), float[][].class)[0], TestModels.get(Shared.MINILM).encode("a text"),
                    REFERENCE_TOLERANCE);
            assertThat(server.toHandle().destroy()).isTrue();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();
            assertThat(server.exitValue()).isZero();
            log.join();
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * The key comes from {@code SENTENCE4J_API_KEY} when no --api-key is given, and --auto-truncate cuts a
     * too long input that the request says nothing of, as the model's own {@code encode} cuts it.
     */
    @Test
    void takesTheApiKeyFromTheEnvironmentAndAutoTruncates() throws Exception {
        String model = Shared.path("fixtures/st6/models/seed-bert-mean").toString();
        String longText = String.join(" ", Collections.nCopies(300, "guitar"));
        Process server = serve(Map.of("SENTENCE4J_API_KEY", "s3cret"), "--model", model, "--auto-truncate");
        try {
            ServerLog log = ServerLog.read(server);
            URI base = log.awaitServing();
            HttpClient client = HttpClient.newHttpClient();
            String body = new ObjectMapper().writeValueAsString(Map.of("inputs", List.of(longText)));
            HttpResponse<String> without = post(client, base.resolve("/embed"), body);
            HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(base.resolve("/embed"))
                    .header("Authorization", "Bearer other").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> with = client.send(HttpRequest.newBuilder(base.resolve("/embed"))
                    .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(without.statusCode()).as(without.body()).isEqualTo(401);
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
            assertThat(with.statusCode()).as(with.body()).isEqualTo(200);
            try (dev.sentence4j.SentenceTransformer direct = dev.sentence4j.SentenceTransformer.load(model)) {
                assertThat(direct.tokenizer().tokenize(List.of(longText)).get(0).untruncatedLength())
                        .isGreaterThan(direct.tokenizer().settings().maxSeqLength());
                // TEI's /embed normalizes by default; this model has no Normalize module.
                assertClose(new ObjectMapper().readValue(with.body(), float[][].class)[0],
                        direct.encode(List.of(longText), dev.sentence4j.EncodeOptions.defaults().withNormalize(true))[0], 1e-5);
            }
            assertThat(server.toHandle().destroy()).isTrue();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();
            log.join();
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * --threads N: the served model runs a request's batches on N workers, as the other commands do
     * (ThreadsOptionTest); the server's JVM records every thread start and writes the record as it exits.
     */
    @Test
    void threadsIsHowManyWorkersRunTheServedBatches(@TempDir Path dir) throws Exception {
        Path recording = dir.resolve("serve.jfr");
        List<String> texts = Files.readAllLines(Shared.path("fixtures/st6/public.txt")).subList(0, 12);
        Process server = serve(List.of("-XX:StartFlightRecording:filename=" + recording + ",dumponexit=true"), Map.of(),
                "--model", Shared.arg("fixtures/st6/models/seed-bert-mean"), "--threads", "3");
        try {
            ServerLog log = ServerLog.read(server);
            URI base = log.awaitServing();
            HttpResponse<String> reply = post(HttpClient.newHttpClient(), base.resolve("/embed"),
                    new ObjectMapper().writeValueAsString(Map.of("inputs", texts, "truncate", true)));

            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readValue(reply.body(), float[][].class)).hasNumberOfRows(texts.size());
            assertThat(server.toHandle().destroy()).isTrue();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();
            log.join();
            assertThat(WorkerThreads.startedIn(recording)).as("worker threads serve started").hasSize(3);
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void refusesSeveralModelsWhereACommandRunsOne() {
        CommandRun run = CommandRun.of("similarity", "--model", "a", "--model", "b", "one text", "another");

        assertThat(run.status()).as(run.errLines().toString()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("sentence4j: --model is given 2 times, but similarity runs one model; only serve"
                + " takes several");
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The real command in a JVM of its own, on loopback and any free port. */
    private static Process serve(String... options) throws IOException {
        return serve(Map.of(), options);
    }

    /** As {@link #serve(String...)}, with these environment variables besides the test's own. */
    private static Process serve(Map<String, String> environment, String... options) throws IOException {
        return serve(List.of(), environment, options);
    }

    /** As {@link #serve(Map, String...)}, with these options for the server's JVM. */
    private static Process serve(List<String> jvmOptions, Map<String, String> environment, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(ChildJvm.java()));
        command.addAll(jvmOptions);
        command.addAll(List.of(ChildJvm.classPathOption(Main.class), Main.class.getName(), "serve", "--host", "127.0.0.1", "--port",
                "0"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("SENTENCE4J_API_KEY");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The most a socket's send buffer may grow to (Linux: the third figure of tcp_wmem), 4 MB where unknown. */
    private static long largestSendBuffer() throws IOException {
        Path wmem = Path.of("/proc/sys/net/ipv4/tcp_wmem");
        // Read as lines: /proc files report no size, which Files.readString trusts.
        return Files.isReadable(wmem) ? Long.parseLong(Files.readAllLines(wmem).get(0).trim().split("\\s+")[2]) : 4 << 20;
    }

    /** One line of an HTTP head, without its CRLF. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            assertThat(b).as("the connection ended in the reply's head: " + line).isNotNegative();
            line.append((char) b);
        }
        return line.toString().stripTrailing();
    }

    /** The body of an HTTP reply whose status line was read: headers, then Content-Length bytes. */
    private static byte[] readBody(InputStream in) throws IOException {
        int length = -1;
        for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
            }
        }
        assertThat(length).as("Content-Length").isNotNegative();
        byte[] body = in.readNBytes(length);
        assertThat(body.length).as("bytes of the reply received").isEqualTo(length);
        return body;
    }

    /** The server's stderr, read on a thread of its own: every line kept, and handed to whoever waits for one. */
    private static final class ServerLog {
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        private ServerLog(Process server) {
            reader = new Thread(() -> readFrom(server));
        }

        static ServerLog read(Process server) {
            ServerLog log = new ServerLog(server);
            log.reader.start();
            return log;
        }

        /** Every line so far. */
        List<String> lines() {
            return lines;
        }

        /** Waits until the server's stderr is closed (it has exited), 10 s at most. */
        void join() throws InterruptedException {
            reader.join(10_000);
        }

        private void readFrom(Process server) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    // Recorded before it is handed on: a test woken by the queue then finds it in the list.
                    lines.add(line);
                    queue.add(line);
                }
            } catch (IOException e) {
                lines.add("cannot read the server's stderr: " + e.getMessage());
                queue.add(lines.get(lines.size() - 1));
            }
        }

        void awaitLine(String expected) throws InterruptedException {
            await(expected::equals, "'" + expected + "'");
        }

        /** Where the server serves, once it says so. */
        URI awaitServing() throws InterruptedException {
            Matcher serving = SERVING.matcher(await(line -> SERVING.matcher(line).matches(), "where it serves"));
            serving.matches();
            return URI.create(serving.group(1));
        }

        /** The first line from now on that is the one waited for, failing with the lines seen meanwhile. */
        private String await(Predicate<String> wanted, String what) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            for (String line = queue.poll(60, TimeUnit.SECONDS); line != null; line = queue.poll(60, TimeUnit.SECONDS)) {
                if (wanted.test(line)) {
                    return line;
                }
                seen.add(line);
            }
            throw new AssertionError("the server never said " + what + "; it said " + seen);
        }
    }
}
