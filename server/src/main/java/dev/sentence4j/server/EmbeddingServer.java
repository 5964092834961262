package dev.sentence4j.server;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.model.ModelFamily;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
 *   <li>every model: {@code POST /tokenize}; {@code GET /info}, {@code /health}, {@code /metrics}
 *       (Prometheus), as TEI;
 *   <li>a {@link SentenceTransformer}: {@code POST /embed}, {@code /similarity}, as TEI; {@code POST /}
 *       embeds, or scores similarity when given a source sentence, as Hugging Face's InferenceClient
 *       expects; {@code POST /v1/embeddings} (also {@code /embeddings}), as OpenAI;
 *   <li>a {@link CrossEncoder}: {@code POST /rerank}, as TEI;
 *   <li>a {@link SparseEncoder}: {@code POST /embed_sparse}, as TEI;
 *   <li>a {@link MultiVectorEncoder} (ColBERT): {@code POST /rerank} by MaxSim and {@code POST /embed_all}
 *       (each input's token vectors), as TEI.
 * </ul>
 *
 * <p>A route of another family of model answers 424 with a message, as TEI does. Requests from many
 * clients are merged into batches of up to {@link ServerOptions#maxBatchTokens()} tokens and each gets
 * back exactly what the model's own call gives for its inputs ({@link SentenceTransformer#encode},
 * {@link CrossEncoder#predict}, {@link SparseEncoder#encode}).
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

    /**
     * The routes that run the model, each answered by one family only.
     *
     * @param errors how the route writes its errors
     * @param family the family of model that answers it
     */
    private record ModelRoute(String path, ErrorFormat errors, ModelFamily... families) {
        boolean answeredBy(ModelFamily family) {
            return Arrays.asList(families).contains(family);
        }
    }

    private static final List<ModelRoute> MODEL_ROUTES = List.of(
            new ModelRoute("/embed", ErrorFormat.TEI, ModelFamily.SENTENCE_TRANSFORMER),
            new ModelRoute("/similarity", ErrorFormat.TEI, ModelFamily.SENTENCE_TRANSFORMER),
            new ModelRoute("/", ErrorFormat.TEI, ModelFamily.SENTENCE_TRANSFORMER),
            new ModelRoute("/v1/embeddings", ErrorFormat.OPENAI, ModelFamily.SENTENCE_TRANSFORMER),
            new ModelRoute("/embeddings", ErrorFormat.OPENAI, ModelFamily.SENTENCE_TRANSFORMER),
            new ModelRoute("/rerank", ErrorFormat.TEI, ModelFamily.CROSS_ENCODER, ModelFamily.MULTI_VECTOR_ENCODER),
            new ModelRoute("/embed_sparse", ErrorFormat.TEI, ModelFamily.SPARSE_ENCODER),
            new ModelRoute("/embed_all", ErrorFormat.TEI, ModelFamily.MULTI_VECTOR_ENCODER));

    /** What a family's routes are built from: batchers that close with the server, and the requests' path to them. */
    private static final class Parts {
        private final ServedModel served;
        private final ServerOptions options;
        private final Metrics metrics;
        private final Executor replies;
        private final List<Batcher<?, ?, ?>> batchers = new ArrayList<>();

        Parts(ServedModel served, ServerOptions options, Metrics metrics, Executor replies) {
            this.served = served;
            this.options = options;
            this.metrics = metrics;
            this.replies = replies;
        }

        /** Requests tokenized by the model's {@code tokenize}, merged into batches that the model runs. */
        <I, K, O> BatchedRequests<I, K, O> requests(BatchedRequests.Tokenize<I, K> tokenize, Batcher.Model<I, O> model) {
            Batcher<I, K, O> batcher = new Batcher<>(model, options.maxBatchTokens(), metrics);
            batchers.add(batcher);
            return new BatchedRequests<>(tokenize, batcher, served.maxSeqLength(), metrics, replies);
        }
    }

    /** A family's routes, by path, built from the parts. */
    @FunctionalInterface
    private interface FamilyRoutes {
        Map<String, Route.Action> build(Parts parts);
    }

    private final Server server;
    private final ServerConnector connector;
    private final GracefulHandler graceful;
    private final List<Batcher<?, ?, ?>> batchers;
    private boolean closed;

    private EmbeddingServer(Server server, ServerConnector connector, GracefulHandler graceful, List<Batcher<?, ?, ?>> batchers) {
        this.server = server;
        this.connector = connector;
        this.graceful = graceful;
        this.batchers = batchers;
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
        return start(ServedModel.of(model), options, parts -> {
            Embedder embedder = new Embedder(model, parts.served,
                    parts.requests(model::tokenize, texts -> Arrays.asList(encoder.encode(texts).vectors())),
                    options.maxBatchTokens());
            TeiApi tei = new TeiApi(model, embedder, options);
            OpenAiApi openAi = new OpenAiApi(model, embedder, options);
            return Map.of("/embed", tei::embed, "/similarity", tei::similarity, "/", tei::root,
                    "/v1/embeddings", openAi::embeddings, "/embeddings", openAi::embeddings);
        });
    }

    /**
     * Starts serving a CrossEncoder (a reranker) at {@code POST /rerank}.
     *
     * @throws IOException naming the address if the server cannot listen on it
     */
    public static EmbeddingServer start(CrossEncoder model, ServerOptions options) throws IOException {
        return start(ServedModel.of(model), options, parts -> Map.of("/rerank",
                new RerankApi(model, parts.requests(model::tokenize, RerankApi.scores(model)), options)::rerank));
    }

    /**
     * Starts serving a SparseEncoder (SPLADE) at {@code POST /embed_sparse}.
     *
     * @throws IOException naming the address if the server cannot listen on it
     */
    public static EmbeddingServer start(SparseEncoder model, ServerOptions options) throws IOException {
        return start(ServedModel.of(model), options, parts -> Map.of("/embed_sparse",
                new SparseApi(parts.served, parts.requests(model::tokenize, model::encode), options)::embedSparse));
    }

    /**
     * Starts serving a MultiVectorEncoder (ColBERT) at {@code POST /rerank}, scored by MaxSim, and
     * {@code POST /embed_all}, which returns token vectors.
     *
     * @throws IOException naming the address if the server cannot listen on it
     */
    public static EmbeddingServer start(MultiVectorEncoder model, ServerOptions options) throws IOException {
        return start(ServedModel.of(model), options, parts -> {
            MultiVectorApi api = new MultiVectorApi(model, parts.requests(
                    (texts, call) -> MultiVectorApi.tokenize(model, texts, call), model::encode), options);
            return Map.of("/rerank", api::rerank, "/embed_all", api::embedAll);
        });
    }

    private static EmbeddingServer start(ServedModel served, ServerOptions options, FamilyRoutes family) throws IOException {
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
        Parts parts = new Parts(served, options, metrics, threads);
        Map<String, Route.Action> answered = family.build(parts);
        TeiInfoApi tei = new TeiInfoApi(served, options, threads.getMaxThreads());
        Route.Action health = body -> CompletableFuture.completedFuture(
                new Reply("text/plain; charset=utf-8", new byte[0], Map.of()));
        Map<String, Route> model = new LinkedHashMap<>();
        for (ModelRoute route : MODEL_ROUTES) {
            Route.Action action = answered.get(route.path());
            model.put(route.path(), Route.encoding(route.path(), route.errors(), action != null ? action : wrongModel(route, served)));
        }
        List<Route> routes = List.of(
                model.get("/embed"),
                model.get("/similarity"),
                Route.post("/tokenize", tei::tokenize),
                Route.get("/info", true, tei::info),
                // Healthy while it answers: a stopping server answers 503 before it closes.
                Route.get("/health", false, health),
                // Where Hugging Face's InferenceClient and Inference Endpoints knock, as TEI answers there.
                Route.get("/", false, health),
                model.get("/"),
                Route.get("/metrics", false, body -> CompletableFuture.completedFuture(new Reply(
                        "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8), Map.of()))),
                model.get("/v1/embeddings"),
                model.get("/embeddings"),
                model.get("/rerank"),
                model.get("/embed_sparse"),
                model.get("/embed_all"));
        // A body slower than the minimum rate fails its read, and the request gets 408.
        GracefulHandler graceful = new GracefulHandler(new MinimumBodyRate(
                new Routes(routes, options, metrics, inFlight, threads), options.minRequestDataRate()));
        server.setHandler(graceful);
        server.setStopTimeout(options.shutdownTimeout().toMillis());
        EmbeddingServer started = new EmbeddingServer(server, connector, graceful, parts.batchers);
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

    /** A route of another family: 424, as TEI answers {@code /rerank} on an embedding model, saying which family it needs. */
    private static Route.Action wrongModel(ModelRoute route, ServedModel served) {
        String answers = MODEL_ROUTES.stream().filter(r -> r.answeredBy(served.family())).map(ModelRoute::path)
                .filter(path -> !path.equals("/")).collect(Collectors.joining(", "));
        String needed = Arrays.stream(route.families()).map(ModelFamily::modelType).collect(Collectors.joining(" or "));
        String message = route.path() + " needs a " + needed + " model; " + served.name() + " is a "
                + served.family().modelType() + ", which this server answers at " + answers;
        return body -> {
            throw new ApiException(Failure.WRONG_MODEL, message, null);
        };
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
     * How many requests are being answered now, replies still being written included: those
     * {@link #close()} lets finish. (The {@code te_request_in_flight} metric counts fewer: the requests
     * holding one of the {@link ServerOptions#maxConcurrentRequests()} slots, which a request takes once
     * its body has arrived and gives back once its reply is ready.)
     */
    public long requestsInFlight() {
        return graceful.getCurrentRequestCount();
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
            batchers.forEach(Batcher::close);
        }
    }
}
