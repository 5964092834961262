package dev.sentence4j.server;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.TokenizedTexts;
import dev.sentence4j.model.ModelFamily;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP server for one model or several, answering as Hugging Face Text Embeddings Inference, as the
 * OpenAI embeddings API and as the Cohere/Jina rerank API do, so that their clients work unchanged:
 *
 * <ul>
 *   <li>every model: {@code POST /tokenize}, {@code /decode}; {@code GET /info}, {@code /health},
 *       {@code /metrics} (Prometheus), as TEI; {@code GET /v1/models}, as OpenAI; {@code HEAD} wherever
 *       {@code GET} is answered;
 *   <li>a {@link SentenceTransformer}: {@code POST /embed}, {@code /embed_all}, {@code /similarity}, as
 *       TEI; {@code POST /} embeds, or scores similarity when given a source sentence, as Hugging Face's
 *       InferenceClient expects; {@code POST /v1/embeddings} (also {@code /embeddings}), as OpenAI;
 *   <li>a {@link CrossEncoder}: {@code POST /rerank}, {@code /predict}, as TEI; {@code POST /v1/rerank},
 *       as Cohere and Jina;
 *   <li>a {@link SparseEncoder}: {@code POST /embed_sparse}, as TEI;
 *   <li>a {@link MultiVectorEncoder} (ColBERT): {@code POST /rerank} by MaxSim and {@code POST /embed_all}
 *       (each input's token vectors), as TEI.
 * </ul>
 *
 * <p>With {@link ServerOptions#withGrpcPort}, TEI's gRPC API ({@code tei.v1}: {@code Embed},
 * {@code Rerank}, {@code Predict}, {@code Tokenize}, {@code Info} and their streams) is served on a
 * second port with the same models, batches, limits and metrics; the metadata header {@code model}
 * picks the model there.
 * <p>Serving several models ({@link #start(List, ServerOptions)}), a request picks one by its
 * {@code model} field and gets the first if it names none; each model has its own batches, limits and
 * metrics.
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

    /** The routes a model answers, each chosen per request by its {@code model} field. */
    private static final List<ModelRoute> MODEL_ROUTES = List.of(
            ModelRoute.encoding("/embed", ErrorFormat.TEI, ModelFamily.SENTENCE_TRANSFORMER),
            ModelRoute.encoding("/similarity", ErrorFormat.TEI, ModelFamily.SENTENCE_TRANSFORMER),
            ModelRoute.encoding("/embed_all", ErrorFormat.TEI, ModelFamily.SENTENCE_TRANSFORMER),
            // Each family answers here as TEI does for it: embed (or similarity), rerank or predict, embed_sparse.
            new ModelRoute("/", ErrorFormat.TEI, null, true),
            ModelRoute.encoding("/v1/embeddings", ErrorFormat.OPENAI, ModelFamily.SENTENCE_TRANSFORMER),
            ModelRoute.encoding("/embeddings", ErrorFormat.OPENAI, ModelFamily.SENTENCE_TRANSFORMER),
            ModelRoute.encoding("/rerank", ErrorFormat.TEI, ModelFamily.CROSS_ENCODER),
            ModelRoute.encoding("/v1/rerank", ErrorFormat.OPENAI, ModelFamily.CROSS_ENCODER),
            ModelRoute.encoding("/predict", ErrorFormat.TEI, ModelFamily.CROSS_ENCODER),
            ModelRoute.encoding("/embed_sparse", ErrorFormat.TEI, ModelFamily.SPARSE_ENCODER),
            ModelRoute.tokenizer("/tokenize"),
            ModelRoute.tokenizer("/decode"));

    /** The route at a path, for the gRPC services that answer as it does. */
    static ModelRoute modelRoute(String path) {
        return MODEL_ROUTES.stream().filter(route -> route.path().equals(path)).findFirst().orElseThrow();
    }

    private final Server server;
    private final ServerConnector connector;
    private final GracefulHandler graceful;
    private final HostedModels models;
    private final Tracing tracing;
    private GrpcServer grpc;
    private boolean closed;

    private EmbeddingServer(Server server, ServerConnector connector, GracefulHandler graceful, HostedModels models,
            Tracing tracing) {
        this.server = server;
        this.connector = connector;
        this.graceful = graceful;
        this.models = models;
        this.tracing = tracing;
    }

    /**
     * Starts serving the model.
     *
     * @throws IOException naming the address if the server cannot listen on it (in use, not this machine's)
     */
    public static EmbeddingServer start(SentenceTransformer model, ServerOptions options) throws IOException {
        return start(List.of(model), options);
    }

    /** Starts serving, with the batches encoded by {@code encoder}: the model's, or one that fails on purpose in tests. */
    static EmbeddingServer start(SentenceTransformer model, ServerOptions options, Encoder encoder) throws IOException {
        return start(List.of(ServedModel.of(model)), List.of(embedding(model, encoder)), options);
    }

    /**
     * Starts serving a CrossEncoder (a reranker or classifier) at {@code POST /rerank}, {@code /v1/rerank}
     * and {@code /predict}.
     *
     * @throws IOException naming the address if the server cannot listen on it
     */
    public static EmbeddingServer start(CrossEncoder model, ServerOptions options) throws IOException {
        return start(List.of(model), options);
    }

    /**
     * Starts serving a SparseEncoder (SPLADE) at {@code POST /embed_sparse}.
     *
     * @throws IOException naming the address if the server cannot listen on it
     */
    public static EmbeddingServer start(SparseEncoder model, ServerOptions options) throws IOException {
        return start(List.of(model), options);
    }

    /**
     * Starts serving a MultiVectorEncoder (ColBERT) at {@code POST /rerank}, scored by MaxSim, and
     * {@code POST /embed_all}, which returns its token vectors.
     *
     * @throws IOException naming the address if the server cannot listen on it
     */
    public static EmbeddingServer start(MultiVectorEncoder model, ServerOptions options) throws IOException {
        return start(List.of(model), options);
    }

    /**
     * Starts serving several models at once, each a {@link SentenceTransformer}, a {@link CrossEncoder} or
     * a {@link SparseEncoder}, each with its own batches and its own {@link ServerOptions#maxConcurrentRequests()}.
     * A request picks one with its {@code model} field (OpenAI's, or the same field in a TEI request):
     * the model's name, its folder's or Hub id's last part; a request that names none gets the first.
     *
     * @throws IllegalArgumentException for an empty list, a model of another kind, or a model given twice
     * @throws IOException naming the address if the server cannot listen on it
     */
    public static EmbeddingServer start(List<?> models, ServerOptions options) throws IOException {
        return start(models, options, inputs -> { });
    }

    /**
     * As {@link #start(List, ServerOptions)}, each merged call of a CrossEncoder's or SparseEncoder's
     * batches handed first to {@code beforeCall}, on its runner: tests hold the calls there to see
     * requests merge.
     */
    static EmbeddingServer start(List<?> models, ServerOptions options, Consumer<TokenizedTexts<?>> beforeCall)
            throws IOException {
        List<ServedModel> served = new ArrayList<>();
        List<HostedModel.Family> families = new ArrayList<>();
        for (Object model : models) {
            if (model instanceof SentenceTransformer embedder) {
                served.add(ServedModel.of(embedder));
                families.add(embedding(embedder, embedder::encodeWithDetails));
            } else if (model instanceof CrossEncoder reranker) {
                served.add(ServedModel.of(reranker));
                families.add(reranking(reranker, beforeCall));
            } else if (model instanceof SparseEncoder sparse) {
                served.add(ServedModel.of(sparse));
                families.add(sparse(sparse, beforeCall));
            } else if (model instanceof MultiVectorEncoder multi) {
                served.add(ServedModel.of(multi));
                families.add(multiVector(multi));
            } else {
                throw new IllegalArgumentException("the server serves SentenceTransformer, CrossEncoder, SparseEncoder and"
                        + " MultiVectorEncoder models, not " + (model == null ? "null" : model.getClass().getName()));
            }
        }
        return start(served, families, options);
    }

    private static HostedModel.Family embedding(SentenceTransformer model, Encoder encoder) {
        return parts -> {
            Embedder embedder = new Embedder(model, parts.served(),
                    parts.requests(model::tokenize, texts -> Arrays.asList(encoder.encode(texts).vectors())),
                    parts.options().maxBatchTokens());
            TeiApi tei = new TeiApi(model, embedder, parts.requests(model::tokenize, model::encodeTokens), parts.options());
            OpenAiApi openAi = new OpenAiApi(model, embedder, parts.options());
            return withTokenizer(parts, Map.of("/embed", tei::embed, "/similarity", tei::similarity, "/", tei::root,
                    "/embed_all", tei::embedAll, "/v1/embeddings", openAi::embeddings, "/embeddings", openAi::embeddings));
        };
    }

    private static HostedModel.Family reranking(CrossEncoder model, Consumer<TokenizedTexts<?>> beforeCall) {
        return parts -> {
            RerankApi rerank = new RerankApi(model, parts.requests(model::tokenize, calling(RerankApi.scores(model), beforeCall)),
                    parts.options());
            PredictApi predict = new PredictApi(model, parts.requests(model::tokenize,
                    calling(PredictApi.scores(model), beforeCall)), parts.options());
            // TEI answers / with rerank for a reranker and with predict for a classifier.
            HostedModel.Handler root = model.labels().size() == 1 ? rerank::rerank : predict::predict;
            return withTokenizer(parts, Map.of("/rerank", rerank::rerank, "/v1/rerank",
                    request -> rerank.cohere(request, HostedModels.shortName(model.name())), "/predict", predict::predict,
                    "/", root));
        };
    }

    private static HostedModel.Family sparse(SparseEncoder model, Consumer<TokenizedTexts<?>> beforeCall) {
        return parts -> {
            SparseApi sparse = new SparseApi(model, parts.served(), parts.requests(model::tokenize,
                    calling(model::encode, beforeCall)), parts.options());
            return withTokenizer(parts, Map.of("/embed_sparse", sparse::embedSparse, "/", sparse::embedSparse));
        };
    }

    /** A multi-vector (ColBERT) model: TEI's rerank by MaxSim, and its token vectors at embed_all. */
    private static HostedModel.Family multiVector(MultiVectorEncoder model) {
        return parts -> {
            MultiVectorApi api = new MultiVectorApi(model, parts.requests(model::tokenize, model::encode), parts.options());
            return withTokenizer(parts, Map.of("/rerank", api::rerank, "/embed_all", api::embedAll, "/", api::rerank));
        };
    }

    /** The model's merged calls, each handed first to {@code beforeCall}. */
    private static <I, O> Batcher.Model<I, O> calling(Batcher.Model<I, O> model, Consumer<TokenizedTexts<?>> beforeCall) {
        return inputs -> {
            beforeCall.accept(inputs);
            return model.run(inputs);
        };
    }

    /** A family's routes and the tokenizer's, which every family answers. */
    private static Map<String, HostedModel.Handler> withTokenizer(HostedModel.Parts parts, Map<String, HostedModel.Handler> family) {
        Map<String, HostedModel.Handler> all = new LinkedHashMap<>(family);
        TeiInfoApi tokenizer = parts.tokenizerApi();
        all.put("/tokenize", tokenizer::tokenize);
        all.put("/decode", tokenizer::decode);
        return all;
    }

    private static EmbeddingServer start(List<ServedModel> served, List<HostedModel.Family> families, ServerOptions options)
            throws IOException {
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

        Metrics metrics = new Metrics();
        server.setErrorHandler(new HttpErrors(metrics, http.getRequestHeaderSize()));
        List<HostedModel> hosted = new ArrayList<>();
        for (int i = 0; i < served.size(); i++) {
            hosted.add(HostedModel.host(served.get(i), options, metrics, threads, threads.getMaxThreads(), families.get(i)));
        }
        HostedModels models;
        try {
            models = new HostedModels(hosted);
        } catch (IllegalArgumentException e) {
            hosted.forEach(HostedModel::close);
            throw e;
        }
        CatalogApi catalog = new CatalogApi(hosted.stream().map(HostedModel::info).toList(), models.names(),
                System.currentTimeMillis() / 1000);
        Route.Action health = body -> CompletableFuture.completedFuture(
                new Reply("text/plain; charset=utf-8", new byte[0], Map.of()));
        List<Route> routes = new ArrayList<>();
        for (ModelRoute route : MODEL_ROUTES) {
            routes.add(new Route(route.path(), "POST", true, route.errors(), body -> models.run(route, JsonRequest.parse(body))));
        }
        routes.add(Route.get("/info", true, catalog::info));
        routes.add(Route.get("/v1/models", true, catalog::models));
        // Healthy while it answers: a stopping server answers 503 before it closes.
        routes.add(Route.get("/health", false, health));
        // Where Hugging Face's InferenceClient and Inference Endpoints knock, as TEI answers there.
        routes.add(Route.get("/", false, health));
        routes.add(Route.get("/metrics", false, body -> CompletableFuture.completedFuture(new Reply(
                "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8), Map.of()))));
        // A body slower than the minimum rate fails its read, and the request gets 408.
        Tracing tracing = options.otlpEndpoint() == null ? Tracing.OFF : Tracing.otlp(options.otlpEndpoint());
        // Headers that arrive slower than the idle timeout end the connection (no request yet to answer).
        HeaderDeadline headers = new HeaderDeadline(new MinimumBodyRate(
                new Routes(routes, options, metrics, threads, tracing), options.minRequestDataRate()), options.idleTimeout());
        connector.addBean(headers, false);
        GracefulHandler graceful = new GracefulHandler(headers);
        server.setHandler(graceful);
        server.setStopTimeout(options.shutdownTimeout().toMillis());
        EmbeddingServer started = new EmbeddingServer(server, connector, graceful, models, tracing);
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
        if (options.grpcPort().isPresent()) {
            try {
                started.grpc = GrpcServer.start(options, options.grpcPort().getAsInt(), models, metrics, threads);
            } catch (IOException | RuntimeException e) {
                started.close();
                throw e;
            }
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
     * The port of TEI's gRPC API ({@code tei.v1}): the one asked for with {@link ServerOptions#withGrpcPort},
     * or the one chosen when 0 was; empty when the server answers HTTP only.
     */
    public OptionalInt grpcPort() {
        return grpc == null ? OptionalInt.empty() : OptionalInt.of(grpc.port());
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
            if (grpc != null) {
                // Both APIs stop taking work at once; gRPC's calls finish first, while the threads they continue on still run.
                grpc.shutdown();
                graceful.shutdown();
                grpc.awaitTermination();
            }
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the server did not stop cleanly: " + e.getMessage(), e);
        } finally {
            models.close();
            tracing.close();
        }
    }
}
