package dev.sentence4j.server;

import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP server for one model, answering as Hugging Face Text Embeddings Inference and as the OpenAI
 * embeddings API do, so that their clients work unchanged:
 *
 * <ul>
 *   <li>{@code POST /embed}, {@code /similarity}, {@code /tokenize}; {@code GET /info}, {@code /health},
 *       {@code /metrics} (Prometheus), as TEI; {@code POST /} embeds, or scores similarity when given a
 *       source sentence, as Hugging Face's InferenceClient expects;
 *   <li>{@code POST /v1/embeddings} (also {@code /embeddings}), as OpenAI.
 * </ul>
 *
 * <p>Requests from many clients are merged into batches of up to {@link ServerOptions#maxBatchTokens()}
 * tokens and each gets back exactly the vectors {@link SentenceTransformer#encode} gives for its texts.
 * {@link #close()} stops it gracefully: requests in flight finish first. The model stays the caller's
 * to close, after the server. Do not stop it from a JVM shutdown hook: hooks run in no order, and ONNX
 * Runtime's own hook frees the native environment under a model still encoding ({@code sentence4j
 * serve} catches SIGINT and SIGTERM instead, and exits once the server is closed).
 *
 * <pre>{@code
 * try (SentenceTransformer model = SentenceTransformer.load("sentence-transformers/all-MiniLM-L6-v2");
 *         EmbeddingServer server = EmbeddingServer.start(model, ServerOptions.defaults().withPort(8080))) {
 *     server.awaitStop();
 * }
 * }</pre>
 */
public final class EmbeddingServer implements AutoCloseable {
    /**
     * The most tokens, padding included, of one transformer run. A merged batch mixes the lengths of
     * many requests; in runs as large as encode's default (16384), every long text pads dozens of short
     * ones to its length. On mixed STSb sentences and paragraphs, merged batches encoded with runs of
     * 512 tokens took no more CPU per text than one offline encode call; with 16384, 2.4 times more.
     */
    public static final int RUN_TOKENS = 512;

    private static final System.Logger LOG = System.getLogger(EmbeddingServer.class.getName());

    private final Server server;
    private final ServerConnector connector;
    private final AtomicInteger inFlight;
    private final Batcher batcher;
    private boolean closed;

    private EmbeddingServer(Server server, ServerConnector connector, AtomicInteger inFlight, Batcher batcher) {
        this.server = server;
        this.connector = connector;
        this.inFlight = inFlight;
        this.batcher = batcher;
    }

    /**
     * Starts serving the model.
     *
     * @throws IOException naming the address if the server cannot listen on it (in use, not this machine's)
     */
    public static EmbeddingServer start(SentenceTransformer model, ServerOptions options) throws IOException {
        return start(model, options, model::encodeWithDetails);
    }

    /** Starts serving, with the batches encoded by {@code encoder}: the model's, or one that fails on purpose in tests. */
    static EmbeddingServer start(SentenceTransformer model, ServerOptions options, Encoder encoder) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(handlerThreads());
        threads.setName("sentence4j-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        // Also how long a request body may pause before the request gets 408.
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        server.addConnector(connector);

        AtomicInteger inFlight = new AtomicInteger();
        Metrics metrics = new Metrics(inFlight::get);
        server.setErrorHandler(new HttpErrors(metrics, http.getRequestHeaderSize()));
        Batcher batcher = new Batcher(encoder, options.maxBatchTokens(), metrics);
        Embedder embedder = new Embedder(model, batcher, metrics, threads, options.maxBatchTokens());
        TeiApi tei = new TeiApi(model, embedder, options, threads.getMaxThreads());
        OpenAiApi openAi = new OpenAiApi(model, embedder, options);
        Route.Action health = body -> CompletableFuture.completedFuture(
                new Reply("text/plain; charset=utf-8", new byte[0], Map.of()));
        List<Route> routes = List.of(
                Route.encoding("/embed", ErrorFormat.TEI, tei::embed),
                Route.encoding("/similarity", ErrorFormat.TEI, tei::similarity),
                Route.post("/tokenize", tei::tokenize),
                Route.get("/info", true, tei::info),
                // Healthy while it answers: a stopping server answers 503 before it closes.
                Route.get("/health", false, health),
                // Where Hugging Face's InferenceClient and Inference Endpoints knock, as TEI answers there.
                Route.get("/", false, health),
                Route.encoding("/", ErrorFormat.TEI, tei::root),
                Route.get("/metrics", false, body -> CompletableFuture.completedFuture(new Reply(
                        "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8), Map.of()))),
                Route.encoding("/v1/embeddings", ErrorFormat.OPENAI, openAi::embeddings),
                Route.encoding("/embeddings", ErrorFormat.OPENAI, openAi::embeddings));
        // A body slower than the minimum rate fails its read, and the request gets 408.
        GracefulHandler graceful = new GracefulHandler(new MinimumBodyRate(
                new Routes(routes, options, metrics, inFlight, threads), options.minRequestDataRate()));
        server.setHandler(graceful);
        server.setStopTimeout(options.shutdownTimeout().toMillis());
        EmbeddingServer started = new EmbeddingServer(server, connector, inFlight, batcher);
        try {
            server.start();
        } catch (IOException e) {
            started.close();
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + reason, e);
        } catch (Exception e) {
            started.close();
            throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
        }
        return started;
    }

    /**
     * Two threads per core, eight at least. Handlers never wait: bodies are read as they arrive and
     * replies are written when their batch is done, so these threads only parse, tokenize and write
     * JSON, and more of them would only compete with the model's own workers for the same cores.
     * {@link ServerOptions#maxConcurrentRequests()}, not this count, bounds the requests in flight.
     */
    private static int handlerThreads() {
        return Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** Where the server listens, such as {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    /** The port the server listens on: the one asked for, or the one chosen when 0 was. */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * How many requests are using the model now: those holding one of the
     * {@link ServerOptions#maxConcurrentRequests()} slots, as {@code te_request_in_flight} reports them.
     */
    public long requestsInFlight() {
        return inFlight.get();
    }

    /** Waits until the server has stopped. */
    public void awaitStop() throws InterruptedException {
        server.join();
    }

    /**
     * Stops taking requests, lets those in flight finish (up to {@link ServerOptions#shutdownTimeout()}),
     * then stops. Safe to call more than once, from any thread.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the server did not stop cleanly: " + e.getMessage(), e);
        } finally {
            batcher.close();
        }
    }
}
