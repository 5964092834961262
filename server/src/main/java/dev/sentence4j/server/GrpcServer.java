package dev.sentence4j.server;

import dev.sentence4j.server.grpc.tei.EmbedGrpc;
import dev.sentence4j.server.grpc.tei.InfoGrpc;
import dev.sentence4j.server.grpc.tei.PredictGrpc;
import dev.sentence4j.server.grpc.tei.RerankGrpc;
import dev.sentence4j.server.grpc.tei.TokenizeGrpc;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * TEI's gRPC API ({@code tei.v1}) on its own port, beside the HTTP server and sharing its models: the
 * services {@code Info}, {@code Embed}, {@code Predict}, {@code Rerank} and {@code Tokenize}, with
 * gRPC's health service (each TEI service serving where a model served answers it) and server
 * reflection, as TEI registers them. A message larger than {@code --payload-limit} is refused with
 * {@code RESOURCE_EXHAUSTED}, the connection kept.
 */
final class GrpcServer {
    private final Server server;
    private final HealthStatusManager health;
    private final Duration shutdownTimeout;

    private GrpcServer(Server server, HealthStatusManager health, Duration shutdownTimeout) {
        this.server = server;
        this.health = health;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Starts listening.
     *
     * @param executor where calls run: they never wait, as HTTP's handlers never wait
     * @throws IOException naming the address if the server cannot listen on it
     */
    static GrpcServer start(ServerOptions options, int port, HostedModels models, Metrics metrics, Executor executor)
            throws IOException {
        GrpcRoutes routes = new GrpcRoutes(models, metrics);
        List<ServerInterceptor> interceptors = new ArrayList<>();
        // Interceptors run last added first: the key is checked before the model is read.
        interceptors.add(new GrpcModelHeader());
        if (options.apiKey() != null) {
            interceptors.add(new GrpcApiKey(options.apiKey(), metrics));
        }
        HealthStatusManager health = new HealthStatusManager();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(options.host(), port))
                .executor(executor)
                .maxInboundMessageSize(options.payloadLimit())
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        List<BindableService> services = List.of(new GrpcInfo(routes), new GrpcEmbed(routes), new GrpcPredict(routes),
                new GrpcRerank(routes, options.maxClientBatchSize()), new GrpcTokenize(routes));
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, interceptors));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            // Netty's native transport names the system call: "bind(..) failed with error(-98): Address already in use".
            reason = reason.replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
            throw new IOException("cannot listen for gRPC on " + options.host() + ":" + port + ": " + reason, e);
        }
        serving(health, InfoGrpc.SERVICE_NAME, true);
        serving(health, TokenizeGrpc.SERVICE_NAME, true);
        serving(health, EmbedGrpc.SERVICE_NAME, models.anyAnswers("/embed") || models.anyAnswers("/embed_sparse")
                || models.anyAnswers("/embed_all"));
        serving(health, PredictGrpc.SERVICE_NAME, models.anyAnswers("/predict"));
        serving(health, RerankGrpc.SERVICE_NAME, models.anyAnswers("/rerank"));
        return new GrpcServer(server, health, options.shutdownTimeout());
    }

    private static void serving(HealthStatusManager health, String service, boolean serving) {
        health.setStatus(service, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    /** The port it listens on: the one asked for, or the one chosen when 0 was. */
    int port() {
        return server.getPort();
    }

    /** Takes no new calls, and says so to health checks; calls in flight go on. */
    void shutdown() {
        health.enterTerminalState();
        server.shutdown();
    }

    /** Waits for the calls in flight, up to {@code --shutdown-timeout}, then cuts off any left. */
    void awaitTermination() throws InterruptedException {
        if (!server.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
        }
    }
}
