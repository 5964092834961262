package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.ChildJvm;
import dev.sentence4j.io.Npy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
    private static final Pattern SERVING = Pattern.compile("sentence4j: serving .* on (http://\\S+/) .*");

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

    /**
     * The real command in a JVM of its own, stopped by SIGTERM while it encodes: the request in flight
     * still gets its vectors, the reference ones.
     */
    @Test
    void sigtermLetsTheRequestInFlightFinish() throws Exception {
        List<String> paragraphs = Files.readAllLines(Shared.path("reference/edge-cases.txt"), StandardCharsets.UTF_8);
        float[][] reference = Npy.read(Shared.path("reference/edge-cases.all-MiniLM-L6-v2.npy"));
        // Three rounds of the long edge cases: long enough to be caught in flight.
        List<String> texts = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            texts.addAll(paragraphs);
        }
        Process server = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(Main.class), Main.class.getName(),
                "serve", "--host", "127.0.0.1", "--port", "0", "--auto-truncate")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            LinkedBlockingQueue<String> stderr = new LinkedBlockingQueue<>();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> readLines(server, stderr, lines));
            reader.start();
            URI base = awaitServing(stderr);
            HttpClient client = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(base.resolve("/embed"))
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("inputs", texts)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitInFlight(client, base);

            // SIGTERM; unlike Process.destroy, this leaves the server's stderr open to read.
            assertThat(server.toHandle().destroy()).isTrue();

            HttpResponse<String> reply = inFlight.get(60, TimeUnit.SECONDS);
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            JsonNode vectors = json.readTree(reply.body());
            assertThat(vectors.size()).isEqualTo(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                float[] vector = new float[vectors.get(i).size()];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = vectors.get(i).get(d).floatValue();
                }
                assertThat(vector).containsExactly(reference[i % paragraphs.size()], within(1e-5f));
            }
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();
            assertThat(server.exitValue()).as("a clean exit, not a crash").isZero();
            reader.join(10_000);
            assertThat(lines).contains("sentence4j: stopping; letting 1 request in flight finish");
        } finally {
            server.destroyForcibly();
        }
    }

    private static void readLines(Process process, LinkedBlockingQueue<String> queue, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                queue.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("cannot read the server's stderr: " + e.getMessage());
            queue.add(lines.get(lines.size() - 1));
        }
    }

    private static URI awaitServing(LinkedBlockingQueue<String> stderr) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (String line = stderr.poll(60, TimeUnit.SECONDS); line != null; line = stderr.poll(60, TimeUnit.SECONDS)) {
            Matcher serving = SERVING.matcher(line);
            if (serving.matches()) {
                return URI.create(serving.group(1));
            }
            seen.add(line);
        }
        throw new AssertionError("the server never said where it serves; it said " + seen);
    }

    /** Polls /metrics until a request holds a slot. */
    private static void awaitInFlight(HttpClient client, URI base) throws IOException, InterruptedException {
        HttpRequest metrics = HttpRequest.newBuilder(base.resolve("/metrics")).build();
        for (int attempt = 0; attempt < 2000; attempt++) {
            String body = client.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
            if (body.lines().anyMatch("te_request_in_flight 1"::equals)) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the request never showed in flight");
    }
}
