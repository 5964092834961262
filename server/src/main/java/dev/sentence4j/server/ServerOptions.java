package dev.sentence4j.server;

import java.time.Duration;

/**
 * How an {@link EmbeddingServer} listens and what it accepts; start from {@link #defaults()} and change
 * what you need. The limits and their defaults are Hugging Face TEI's.
 *
 * @param host the address to listen on ({@code 0.0.0.0}: every interface; {@code 127.0.0.1}: this machine only)
 * @param port the port to listen on, or 0 for any free port
 * @param maxBatchTokens the most tokens the requests merged into one batch may hold (a longer request runs alone)
 * @param maxClientBatchSize the most texts one request may hold
 * @param maxConcurrentRequests the most requests that may use the model at once; more are refused with 429
 * @param payloadLimit the largest request body, in bytes; larger ones are refused with 413
 * @param apiKey the key clients must send as {@code Authorization: Bearer KEY}, or {@code null} for none
 * @param autoTruncate cut inputs longer than the model takes when a request does not say; otherwise refuse them
 * @param shutdownTimeout how long stopping waits for requests in flight to finish
 */
public record ServerOptions(
        String host,
        int port,
        int maxBatchTokens,
        int maxClientBatchSize,
        int maxConcurrentRequests,
        int payloadLimit,
        String apiKey,
        boolean autoTruncate,
        Duration shutdownTimeout) {

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

    public ServerOptions {
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
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    /** The defaults: every interface, port 8080, TEI's limits, no API key, no truncation, 30 s to stop. */
    public static ServerOptions defaults() {
        return new ServerOptions("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_BATCH_TOKENS, DEFAULT_MAX_CLIENT_BATCH_SIZE,
                DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_PAYLOAD_LIMIT, null, false, Duration.ofSeconds(30));
    }

    /** These options listening on another address. */
    public ServerOptions withHost(String address) {
        return new ServerOptions(address, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout);
    }

    /** These options listening on another port (0 for any free one). */
    public ServerOptions withPort(int number) {
        return new ServerOptions(host, number, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout);
    }

    /** These options with another token budget per merged batch. */
    public ServerOptions withMaxBatchTokens(int tokens) {
        return new ServerOptions(host, port, tokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout);
    }

    /** These options with another limit on texts per request. */
    public ServerOptions withMaxClientBatchSize(int texts) {
        return new ServerOptions(host, port, maxBatchTokens, texts, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout);
    }

    /** These options with another limit on requests served at once. */
    public ServerOptions withMaxConcurrentRequests(int requests) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, requests, payloadLimit,
                apiKey, autoTruncate, shutdownTimeout);
    }

    /** These options with another limit on the request body, in bytes. */
    public ServerOptions withPayloadLimit(int bytes) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, bytes,
                apiKey, autoTruncate, shutdownTimeout);
    }

    /** These options requiring an API key, or none for {@code null}. */
    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                key, autoTruncate, shutdownTimeout);
    }

    /** These options cutting long inputs, or refusing them, when a request does not say. */
    public ServerOptions withAutoTruncate(boolean on) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, on, shutdownTimeout);
    }

    /** These options waiting another time for requests in flight when stopping. */
    public ServerOptions withShutdownTimeout(Duration timeout) {
        return new ServerOptions(host, port, maxBatchTokens, maxClientBatchSize, maxConcurrentRequests, payloadLimit,
                apiKey, autoTruncate, timeout);
    }
}
