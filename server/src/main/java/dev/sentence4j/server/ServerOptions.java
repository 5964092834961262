package dev.sentence4j.server;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How an {@link EmbeddingServer} listens and what it accepts; start from {@link #defaults()} and change
 * what you need. The limits and their defaults are Hugging Face TEI's. Immutable; a class rather than a
 * record so that options can be added without breaking callers.
 */
public final class ServerOptions {
    /** The default port. */
    public static final int DEFAULT_PORT = 8080;
    /** The default token budget of a merged batch. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 16384;
    /** The default number of texts one request may hold. */
    public static final int DEFAULT_MAX_CLIENT_BATCH_SIZE = 32;
    /** The default number of requests served at once. */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 512;
    /** The default largest request body: 2 MB. */
    public static final int DEFAULT_PAYLOAD_LIMIT = 2_000_000;
    /** No gRPC port: the server answers HTTP only. */
    private static final int NO_GRPC = -1;
    /** The default slowest a request body may arrive, in bytes per second. */
    public static final int DEFAULT_MIN_REQUEST_DATA_RATE = 1024;

    private final String host;
    private final int port;
    private final int maxBatchTokens;
    private final int maxClientBatchSize;
    private final int maxConcurrentRequests;
    private final int payloadLimit;
    private final String apiKey;
    private final boolean autoTruncate;
    private final Duration shutdownTimeout;
    private final Duration idleTimeout;
    private final int minRequestDataRate;
    private final URI otlpEndpoint;
    private final int grpcPort;

    private ServerOptions(String host, int port, int maxBatchTokens, int maxClientBatchSize, int maxConcurrentRequests,
            int payloadLimit, String apiKey, boolean autoTruncate, Duration shutdownTimeout, Duration idleTimeout,
            int minRequestDataRate, URI otlpEndpoint, int grpcPort) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be given");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        requirePositive("max batch tokens", maxBatchTokens);
        requirePositive("max client batch size", maxClientBatchSize);
        requirePositive("max concurrent requests", maxConcurrentRequests);
        requirePositive("payload limit", payloadLimit);
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("API key must not be blank; leave it out to serve without one");
        }
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must be zero or more");
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be more than zero");
        }
        if (grpcPort < NO_GRPC || grpcPort > 65535) {
            throw new IllegalArgumentException("gRPC port must be between 0 and 65535, got " + grpcPort);
        }
        if (minRequestDataRate < 0) {
            throw new IllegalArgumentException("min request data rate must be zero (no minimum) or more, got " + minRequestDataRate);
        }
        this.host = host;
        this.port = port;
        this.maxBatchTokens = maxBatchTokens;
        this.maxClientBatchSize = maxClientBatchSize;
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.payloadLimit = payloadLimit;
        this.apiKey = apiKey;
        this.autoTruncate = autoTruncate;
        this.shutdownTimeout = shutdownTimeout;
        this.idleTimeout = idleTimeout;
        this.minRequestDataRate = minRequestDataRate;
        this.otlpEndpoint = otlpEndpoint;
        this.grpcPort = grpcPort;
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    /**
     * The defaults: every interface, port 8080, TEI's limits, no API key, no truncation, 30 s to stop,
     * connections idle for 30 s closed, request bodies arriving at 1024 bytes per second at least.
     */
    public static ServerOptions defaults() {
        return new ServerOptions("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_BATCH_TOKENS, DEFAULT_MAX_CLIENT_BATCH_SIZE,
                DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_PAYLOAD_LIMIT, null, false, Duration.ofSeconds(30),
                Duration.ofSeconds(30), DEFAULT_MIN_REQUEST_DATA_RATE, null, NO_GRPC);
    }

    /** The address to listen on ({@code 0.0.0.0}: every interface; {@code 127.0.0.1}: this machine only). */
    public String host() {
        return host;
    }

    /** The port to listen on, or 0 for any free port. */
    public int port() {
        return port;
    }

    /** The most tokens the requests merged into one batch may hold (a longer request runs alone). */
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /** The most texts one request may hold. */
    public int maxClientBatchSize() {
        return maxClientBatchSize;
    }

    /**
     * The most requests that may use the model at once; more are refused with 429. A request counts
     * once its whole body has arrived, so slow clients cannot hold these slots.
     */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** The largest request body, in bytes; larger ones are refused with 413 (a gRPC message with RESOURCE_EXHAUSTED). */
    public int payloadLimit() {
        return payloadLimit;
    }

    /** The key clients must send as {@code Authorization: Bearer KEY}, or {@code null} for none. */
    public String apiKey() {
        return apiKey;
    }

    /** Whether inputs longer than the model takes are cut when a request does not say; otherwise they are refused. */
    public boolean autoTruncate() {
        return autoTruncate;
    }

    /** How long stopping waits for requests in flight to finish. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * How long a connection may stay silent: between requests, and while a request body is arriving
     * (then the request gets 408).
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * The slowest a request body may arrive, in bytes per second, measured while it arrives; a slower one
     * is cut off with 408. 0 for no minimum.
     */
    public int minRequestDataRate() {
        return minRequestDataRate;
    }

    /**
     * Where the server sends OpenTelemetry traces, one span per request, over OTLP/HTTP (protobuf): a
     * collector's base address such as {@code http://localhost:4318}, to which {@code /v1/traces} is
     * added; {@code null} for no tracing.
     */
    public URI otlpEndpoint() {
        return otlpEndpoint;
    }

    /**
     * The port of TEI's gRPC API ({@code tei.v1}), served beside HTTP with the same models, batches and
     * limits; empty when gRPC is off, as by default; 0 for any free port ({@link EmbeddingServer#grpcPort()}
     * tells which).
     */
    public OptionalInt grpcPort() {
        return grpcPort == NO_GRPC ? OptionalInt.empty() : OptionalInt.of(grpcPort);
    }

    /** These options also serving TEI's gRPC API on a port (0 for any free one). */
    public ServerOptions withGrpcPort(int number) {
        if (number < 0) {
            throw new IllegalArgumentException("gRPC port must be between 0 and 65535, got " + number);
        }
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, number);
    }

    /** These options serving HTTP only, without the gRPC API. */
    public ServerOptions withoutGrpc() {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, NO_GRPC);
    }

    /** These options sending traces to an OTLP/HTTP collector, or none for {@code null}. */
    public ServerOptions withOtlpEndpoint(URI endpoint) {
        if (endpoint != null && (endpoint.getHost() == null || !List.of("http", "https").contains(endpoint.getScheme()))) {
            throw new IllegalArgumentException("OTLP endpoint must be an http or https address such as http://localhost:4318, got "
                    + endpoint);
        }
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, endpoint, grpcPort);
    }

    /** These options listening on another address. */
    public ServerOptions withHost(String address) {
        return new ServerOptions(address, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options listening on another port (0 for any free one). */
    public ServerOptions withPort(int number) {
        return new ServerOptions(host, number, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options with another token budget per merged batch. */
    public ServerOptions withMaxBatchTokens(int tokens) {
        return new ServerOptions(host, port, tokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options with another limit on texts per request. */
    public ServerOptions withMaxClientBatchSize(int texts) {
        return new ServerOptions(host, port, maxBatchTokens, texts, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options with another limit on requests served at once. */
    public ServerOptions withMaxConcurrentRequests(int requests) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, requests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options with another limit on the request body, in bytes. */
    public ServerOptions withPayloadLimit(int bytes) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, bytes,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options requiring an API key, or none for {@code null}. */
    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                key, autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options cutting long inputs, or refusing them, when a request does not say. */
    public ServerOptions withAutoTruncate(boolean on) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, on, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options waiting another time for requests in flight when stopping. */
    public ServerOptions withShutdownTimeout(Duration timeout) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, timeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options closing silent connections after another time. */
    public ServerOptions withIdleTimeout(Duration timeout) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, timeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    /** These options cutting off request bodies slower than another rate, in bytes per second (0: no minimum). */
    public ServerOptions withMinRequestDataRate(int bytesPerSecond) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout, idleTimeout, bytesPerSecond, otlpEndpoint, grpcPort);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServerOptions o && host.equals(o.host) && port == o.port && maxBatchTokens == o.maxBatchTokens
                && maxClientBatchSize == o.maxClientBatchSize && maxConcurrentRequests == o.maxConcurrentRequests
                && payloadLimit == o.payloadLimit && Objects.equals(apiKey, o.apiKey) && autoTruncate == o.autoTruncate
                && shutdownTimeout.equals(o.shutdownTimeout) && idleTimeout.equals(o.idleTimeout)
                && minRequestDataRate == o.minRequestDataRate && Objects.equals(otlpEndpoint, o.otlpEndpoint)
                && grpcPort == o.grpcPort;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit, apiKey,
                autoTruncate, shutdownTimeout, idleTimeout, minRequestDataRate, otlpEndpoint, grpcPort);
    }

    @Override
    public String toString() {
        // Never the key: options end up in logs.
        return "ServerOptions[" + host + ":" + port + ", max batch tokens " + maxBatchTokens + ", max client batch size "
                + maxClientBatchSize + ", max concurrent requests " + maxConcurrentRequests + ", payload limit " + payloadLimit
                + (apiKey != null ? ", with API key" : "") + (autoTruncate ? ", auto-truncate" : "") + ", shutdown timeout "
                + shutdownTimeout + ", idle timeout " + idleTimeout + ", min request data rate " + minRequestDataRate + " B/s"
                + (otlpEndpoint != null ? ", traces to " + otlpEndpoint : "") + (grpcPort != NO_GRPC ? ", gRPC port " + grpcPort : "") + "]";
    }
}
