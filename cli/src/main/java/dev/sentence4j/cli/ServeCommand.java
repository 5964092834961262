package dev.sentence4j.cli;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.Model;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.server.EmbeddingServer;
import dev.sentence4j.server.ServerOptions;
import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j serve}: the model over HTTP, as Hugging Face TEI and the OpenAI embeddings API serve. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Serves models over HTTP, as Hugging Face TEI, the OpenAI embeddings API and Cohere's rerank API do.",
        description = {
            "Answers POST /embed, /embed_all, /similarity, /tokenize and /decode and GET /info, /health and /metrics"
                    + " as Hugging Face Text Embeddings Inference does, and POST /v1/embeddings and GET /v1/models as"
                    + " OpenAI does, so that their clients work unchanged. Requests from many clients are merged into"
                    + " batches for the model.",
            "A CrossEncoder (reranker) model is served at POST /rerank, /predict and /v1/rerank (Cohere, Jina) and a"
                    + " SparseEncoder (SPLADE) at POST /embed_sparse, as TEI serves them; a multi-vector (ColBERT) model"
                    + " at POST /rerank (MaxSim) and /embed_all (its token vectors); the other families' routes answer 424.",
            "--model more than once serves several models in one process, each with its own batches and limits; a"
                    + " request picks one with its \"model\" field (the name's last part, or the whole id), else gets"
                    + " the first. Many models are easiest listed in a file given as @FILE, one option per line.",
            "--grpc-port also serves TEI's gRPC API (tei.v1) on a second port, with the same models, batches and"
                    + " limits; the metadata header 'model' picks a model, as the \"model\" field does over HTTP.",
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

    @Option(names = "--grpc-port", paramLabel = "PORT", defaultValue = "0",
            description = "Also serve TEI's gRPC API (tei.v1: Embed, Rerank, Predict, Tokenize, Info and their streams) on"
                    + " this port, with the same models, batches and limits; the metadata header 'model' picks a model."
                    + " Default: 0, no gRPC.")
    int grpcPort;

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

    @Option(names = "--otlp-endpoint", paramLabel = "URL",
            description = "Send OpenTelemetry traces, one span per request, to this OTLP/HTTP collector (such as "
                    + "http://localhost:4318; /v1/traces is added), as TEI's --otlp-endpoint; the service name is "
                    + "$OTEL_SERVICE_NAME, else sentence4j. Default: no traces.")
    URI otlpEndpoint;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        // Everything that can be checked fails here, before the slow model loads.
        ServerOptions options = options();
        List<ModelFamily> families = new ArrayList<>();
        for (String model : modelOptions.models) {
            ModelFamily family = modelOptions.family(model);
            if (family != ModelFamily.SENTENCE_TRANSFORMER && family != ModelFamily.CROSS_ENCODER
                    && family != ModelFamily.SPARSE_ENCODER && family != ModelFamily.MULTI_VECTOR_ENCODER) {
                throw new CliException("serve runs SentenceTransformer, CrossEncoder, SparseEncoder and MultiVectorEncoder"
                        + " models; " + model + " is a " + family.modelType() + " model");
            }
            families.add(family);
        }
        List<AutoCloseable> models = new ArrayList<>();
        try {
            for (int i = 0; i < families.size(); i++) {
                String model = modelOptions.models.get(i);
                models.add(switch (families.get(i)) {
                    case CROSS_ENCODER -> modelOptions.load(model, CrossEncoder::load);
                    case SPARSE_ENCODER -> modelOptions.load(model, SparseEncoder::load);
                    case MULTI_VECTOR_ENCODER -> modelOptions.load(model, MultiVectorEncoder::load);
                    default -> modelOptions.load(model, SentenceTransformer::load);
                });
            }
            serve(models, options);
        } finally {
            closeAll(models);
        }
        return 0;
    }

    /** Serves the models until stopped. */
    private void serve(List<AutoCloseable> models, ServerOptions options) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        try (EmbeddingServer server = ProcessStop.PROCESS.openService(() -> start(models, options), s -> stopping(s, err))) {
            String grpc = server.grpcPort().isPresent() ? ", TEI's gRPC API on port " + server.grpcPort().getAsInt() : "";
            err.println(Main.NAME + ": serving " + String.join(", ", modelOptions.models) + " on " + server.uri() + " ("
                    + routes(families(models)) + ")" + grpc + "; Ctrl-C stops");
            err.flush();
            server.awaitStop();
        }
    }

    private static List<ModelFamily> families(List<AutoCloseable> models) {
        // Every family is a Model: it says which it is.
        return models.stream().map(model -> ((Model) model).describe().family()).toList();
    }

    /** The routes the families answer, for the line that says the server is up. */
    private static String routes(List<ModelFamily> families) {
        Set<String> routes = new LinkedHashSet<>();
        for (ModelFamily family : families) {
            routes.addAll(switch (family) {
                case CROSS_ENCODER -> List.of("TEI: /rerank, /predict", "Cohere/Jina: /v1/rerank");
                case SPARSE_ENCODER -> List.of("TEI: /embed_sparse");
                case MULTI_VECTOR_ENCODER -> List.of("TEI: /rerank (MaxSim), /embed_all (token vectors)");
                default -> List.of("TEI: /embed, /embed_all, /similarity", "OpenAI: /v1/embeddings");
            });
        }
        routes.add("/tokenize, /decode, /info, /health, /metrics, /v1/models");
        return String.join("; ", routes);
    }

    /** Closes the models, the first failure reported and the others still closed. */
    private void closeAll(List<AutoCloseable> models) {
        RuntimeException failed = null;
        for (int i = 0; i < models.size(); i++) {
            try {
                models.get(i).close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = new IllegalStateException("cannot close " + modelOptions.models.get(i) + ": " + e.getMessage(), e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private ServerOptions options() {
        try {
            ServerOptions options = ServerOptions.defaults()
                    .withHost(host)
                    .withPort(port)
                    .withMaxBatchTokens(maxBatchTokens)
                    .withMaxClientBatchSize(maxClientBatchSize)
                    .withMaxConcurrentRequests(maxConcurrentRequests)
                    .withPayloadLimit(payloadLimit)
                    .withApiKey(apiKey == null || apiKey.isEmpty() ? null : apiKey)
                    .withAutoTruncate(autoTruncate)
                    .withOtlpEndpoint(otlpEndpoint);
            // 0 leaves gRPC off here, where ServerOptions reads it as any free port: a fixed deployment names its port.
            return grpcPort == 0 ? options : options.withGrpcPort(grpcPort);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static EmbeddingServer start(List<AutoCloseable> models, ServerOptions options) {
        try {
            return EmbeddingServer.start(models, options);
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
