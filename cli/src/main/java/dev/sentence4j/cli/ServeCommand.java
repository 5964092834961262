package dev.sentence4j.cli;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.server.EmbeddingServer;
import dev.sentence4j.server.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j serve}: the model over HTTP, as Hugging Face TEI and the OpenAI embeddings API serve. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Serves the model over HTTP, as Hugging Face TEI and the OpenAI embeddings API do.",
        description = {
            "Answers POST /embed, /similarity and /tokenize and GET /info, /health and /metrics as Hugging Face "
                    + "Text Embeddings Inference does, and POST /v1/embeddings as OpenAI does, so that their clients "
                    + "work unchanged. Requests from many clients are merged into batches for the model.",
            "A CrossEncoder (reranker) model is served at POST /rerank and a SparseEncoder (SPLADE) at "
                    + "POST /embed_sparse, as TEI serves them; a multi-vector (ColBERT) model at POST /rerank (MaxSim) "
                    + "and POST /embed_all (token vectors); the other families' routes answer 424.",
            "Ctrl-C or SIGTERM stops it, after the requests in flight finish."
        })
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "The address to listen on; 127.0.0.1 for this machine only. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "" + ServerOptions.DEFAULT_PORT,
            description = "The port to listen on; 0 for any free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_MAX_BATCH_TOKENS,
            description = "The most tokens the requests merged into one batch may hold. Default: ${DEFAULT-VALUE}.")
    int maxBatchTokens;

    @Option(names = "--max-client-batch-size", paramLabel = "N",
            defaultValue = "" + ServerOptions.DEFAULT_MAX_CLIENT_BATCH_SIZE,
            description = "The most texts one request may hold (more: 422). Default: ${DEFAULT-VALUE}.")
    int maxClientBatchSize;

    @Option(names = "--max-concurrent-requests", paramLabel = "N",
            defaultValue = "" + ServerOptions.DEFAULT_MAX_CONCURRENT_REQUESTS,
            description = "The most requests served at once (more: 429). Default: ${DEFAULT-VALUE}.")
    int maxConcurrentRequests;

    @Option(names = "--payload-limit", paramLabel = "BYTES", defaultValue = "" + ServerOptions.DEFAULT_PAYLOAD_LIMIT,
            description = "The largest request body (larger: 413). Default: ${DEFAULT-VALUE}.")
    int payloadLimit;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:SENTENCE4J_API_KEY}",
            description = "Ask clients for 'Authorization: Bearer KEY' (else 401); /health and /metrics stay open. "
                    + "Default: $SENTENCE4J_API_KEY, which keeps the key out of the process list; none if unset.")
    String apiKey;

    @Option(names = "--auto-truncate",
            description = "Cut inputs longer than the model takes when a request does not say; otherwise they get 422.")
    boolean autoTruncate;

    @Spec
    CommandSpec spec;

    /** How a family of model is served. */
    @FunctionalInterface
    private interface Start<M> {
        EmbeddingServer start(M model, ServerOptions options) throws IOException;
    }

    @Override
    public Integer call() throws InterruptedException {
        // Everything that can be checked fails here, before the slow model load.
        ServerOptions options = options();
        ModelFamily family = modelOptions.family();
        switch (family) {
            case SENTENCE_TRANSFORMER -> serve(modelOptions.load(), options, EmbeddingServer::start,
                    "TEI: /embed, /similarity, /tokenize, /info, /health, /metrics; OpenAI: /v1/embeddings");
            case CROSS_ENCODER -> serve(modelOptions.load(CrossEncoder::load), options, EmbeddingServer::start,
                    "TEI: /rerank, /tokenize, /info, /health, /metrics");
            case SPARSE_ENCODER -> serve(modelOptions.load(SparseEncoder::load), options, EmbeddingServer::start,
                    "TEI: /embed_sparse, /tokenize, /info, /health, /metrics");
            case MULTI_VECTOR_ENCODER -> serve(modelOptions.load(MultiVectorEncoder::load), options, EmbeddingServer::start,
                    "TEI: /rerank (MaxSim), /embed_all, /tokenize, /info, /health, /metrics");
        }
        return 0;
    }

    /** Serves the model until stopped, then closes it. */
    private <M extends AutoCloseable> void serve(M model, ServerOptions options, Start<M> start, String routes)
            throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        try (model; EmbeddingServer server = ProcessStop.PROCESS.openService(() -> start(model, options, start),
                s -> stopping(s, err))) {
            err.println(Main.NAME + ": serving " + modelOptions.model + " on " + server.uri() + " (" + routes + "); Ctrl-C stops");
            err.flush();
            server.awaitStop();
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + modelOptions.model + ": " + e.getMessage(), e);
        }
    }

    private ServerOptions options() {
        try {
            return ServerOptions.defaults()
                    .withHost(host)
                    .withPort(port)
                    .withMaxBatchTokens(maxBatchTokens)
                    .withMaxClientBatchSize(maxClientBatchSize)
                    .withMaxConcurrentRequests(maxConcurrentRequests)
                    .withPayloadLimit(payloadLimit)
                    .withApiKey(apiKey == null || apiKey.isEmpty() ? null : apiKey)
                    .withAutoTruncate(autoTruncate);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static <M> EmbeddingServer start(M model, ServerOptions options, Start<M> start) {
        try {
            return start.start(model, options);
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** On Ctrl-C or SIGTERM, before the server lets its requests in flight finish and the model is closed. */
    private static void stopping(EmbeddingServer server, PrintWriter err) {
        long inFlight = server.requestsInFlight();
        err.println(Main.NAME + ": stopping" + (inFlight == 0 ? "" : "; letting " + inFlight + " request"
                + (inFlight == 1 ? "" : "s") + " in flight finish"));
        err.flush();
    }
}
