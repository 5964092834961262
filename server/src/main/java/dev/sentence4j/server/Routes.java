package dev.sentence4j.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers every request: finds its route, checks the API key, the method and the body's size, reads
 * the body without holding a thread, then, once it is whole, takes a slot of the requests in flight,
 * runs the route and writes its reply or its error. No thread waits for the model or for a slow
 * client: replies are written when batches finish.
 */
final class Routes extends Handler.Abstract {
    private static final byte[] NO_BODY = new byte[0];

    /** The routes of each path, one per method. */
    private final Map<String, List<Route>> routes = new LinkedHashMap<>();
    private final ServerOptions options;
    private final Metrics metrics;
    private final Executor executor;
    private final Tracing tracing;
    private final ApiKey apiKey;

    /**
     * @param executor where replies are written
     * @param tracing what traces each request
     */
    Routes(List<Route> routes, ServerOptions options, Metrics metrics, Executor executor, Tracing tracing) {
        routes.forEach(route -> this.routes.computeIfAbsent(route.path(), path -> new ArrayList<>()).add(route));
        this.options = options;
        this.metrics = metrics;
        this.executor = executor;
        this.tracing = tracing;
        this.apiKey = options.apiKey() == null ? null : new ApiKey(options.apiKey());
    }

    @Override
    public boolean handle(Request request, Response response, Callback answered) {
        long start = System.nanoTime();
        String path = request.getHttpURI().getPath();
        List<Route> atPath = routes.get(path);
        Callback callback = tracing.traced(request, response, answered, atPath == null ? null : path);
        if (atPath == null) {
            refuse(request, response, callback, ErrorFormat.forPath(path), new ApiException(Failure.NOT_FOUND,
                    "no route " + path + "; the server answers " + String.join(", ", routes.keySet()), null));
            return true;
        }
        metrics.received(path);
        // HEAD is GET without the body, which Jetty leaves out of the reply.
        String method = request.getMethod().equals("HEAD") ? "GET" : request.getMethod();
        Route route = atPath.stream().filter(r -> r.method().equals(method)).findFirst().orElse(null);
        if (route == null) {
            refuse(request, response, callback, atPath.get(0).errors(), new ApiException(Failure.METHOD_NOT_ALLOWED, path
                    + " takes " + atPath.stream().map(Route::method).sorted().collect(Collectors.joining(" or ")) + ", not "
                    + request.getMethod(), null));
            return true;
        }
        try {
            check(request, route);
        } catch (ApiException e) {
            refuse(request, response, callback, route.errors(), e);
            return true;
        }
        // The whole body first, holding no thread and no slot: a slow client costs neither.
        body(request, route)
                .thenCompose(body -> route.action().run(body))
                .whenCompleteAsync((reply, error) -> {
                    // The callback must complete whatever happens: a graceful stop waits for it.
                    try {
                        if (error == null) {
                            metrics.succeeded(route.path());
                            metrics.requestTook(start);
                            write(response, callback, 200, reply.contentType(), reply.body(), withTotalTime(reply.headers(), start));
                        } else {
                            ApiException failure = ApiException.from(error);
                            if (failure.failure() == Failure.PAYLOAD_TOO_LARGE) {
                                refuse(request, response, callback, route.errors(), failure);
                            } else {
                                fail(response, callback, route.errors(), failure);
                            }
                        }
                    } catch (RuntimeException e) {
                        callback.failed(e);
                    }
                }, executor);
        return true;
    }

    /** Checks the API key and the body's declared size. */
    private void check(Request request, Route route) {
        if (route.needsKey() && apiKey != null) {
            String refusal = apiKey.refusal(request.getHeaders().get(HttpHeader.AUTHORIZATION), "the header 'Authorization: Bearer KEY'");
            if (refusal != null) {
                throw new ApiException(Failure.UNAUTHORIZED, refusal, null);
            }
        }
        if (request.getLength() > options.payloadLimit()) {
            throw tooLarge("has " + request.getLength() + " bytes, more than the " + options.payloadLimit());
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (!route.method().equals("GET") && type != null && !isJson(type)) {
            throw new ApiException(Failure.UNSUPPORTED_MEDIA_TYPE, "the request body must be JSON, sent with the header"
                    + " 'Content-Type: application/json', not '" + type + "'", null);
        }
    }

    /**
     * Whether a declared body type may be read as JSON: JSON's own types, and the form type that curl's
     * {@code -d} declares by default for whatever it sends.
     */
    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json") || type.equals("application/x-www-form-urlencoded");
    }

    private CompletableFuture<byte[]> body(Request request, Route route) {
        if (route.method().equals("GET")) {
            return CompletableFuture.completedFuture(NO_BODY);
        }
        // Read as it arrives, holding no thread; a body without a length is cut off at the limit.
        return Content.Source.asByteArrayAsync(request, options.payloadLimit())
                .exceptionally(e -> {
                    throw unreadable(request, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                });
    }

    /** Why a body could not be had: too large, too slow (Jetty's idle timeout or minimum data rate), or cut short. */
    private ApiException unreadable(Request request, Throwable cause) {
        // Jetty fails the read with "Max size (N) exceeded" once a body passes the limit.
        if (request.getLength() < 0 && cause instanceof IllegalStateException) {
            return tooLarge("has more than the " + options.payloadLimit());
        }
        if (cause instanceof TimeoutException) {
            return new ApiException(Failure.REQUEST_TIMEOUT, "the request body arrived too slowly: the server takes bodies that"
                    + " arrive at " + options.minRequestDataRate() + " bytes/s or more, with no pause of "
                    + options.idleTimeout().toSeconds() + " s", null);
        }
        return new ApiException(Failure.BAD_REQUEST, "the request body could not be read: it ended before it was complete", null);
    }

    private static ApiException tooLarge(String size) {
        return new ApiException(Failure.PAYLOAD_TOO_LARGE, "the request body " + size + " bytes the server takes (--payload-limit)",
                null);
    }

    private static Map<String, String> withTotalTime(Map<String, String> headers, long start) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("x-total-time", Long.toString((System.nanoTime() - start) / 1_000_000));
        return all;
    }

    /**
     * Answers a request refused before its body was read whole, once the rest of the body is in (see
     * {@link BodyDrain}; at most twice the payload limit, or 1 MiB if that is more, at the minimum data rate).
     */
    private void refuse(Request request, Response response, Callback callback, ErrorFormat format, ApiException e) {
        BodyDrain.drop(request, Math.max(2L * options.payloadLimit(), 1 << 20), () -> executor.execute(() -> {
            try {
                fail(response, callback, format, e);
            } catch (RuntimeException x) {
                callback.failed(x);
            }
        }));
    }

    private void fail(Response response, Callback callback, ErrorFormat format, ApiException e) {
        metrics.failed(e.failure());
        format.write(response, callback, e);
    }

    /** Writes a whole reply. */
    static void write(Response response, Callback callback, int status, String contentType, byte[] body,
            Map<String, String> headers) {
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        fields.put(HttpHeader.CONTENT_TYPE, contentType);
        fields.put(HttpHeader.CONTENT_LENGTH, body.length);
        headers.forEach(fields::put);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
