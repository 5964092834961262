package dev.sentence4j.server;

import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty finds before any route runs (an ambiguous or malformed request line, headers too
 * large, an unknown HTTP version), written as the API's JSON errors rather than Jetty's HTML pages;
 * the server's error handler.
 */
final class HttpErrors implements Request.Handler {
    private final Metrics metrics;
    private final int headerSize;

    /**
     * @param headerSize the most bytes of request line and headers the server reads
     */
    HttpErrors(Metrics metrics, int headerSize) {
        this.metrics = metrics;
        this.headerSize = headerSize;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer given ? given : response.getStatus();
        Object reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Failure failure = Failure.ofStatus(status);
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        metrics.failed(failure);
        ErrorFormat.forPath(path).write(response, callback, new ApiException(failure, message(failure, reason), null));
        return true;
    }

    private String message(Failure failure, Object reason) {
        return switch (failure) {
            case HEADERS_TOO_LARGE -> "the request's headers are larger than the " + headerSize + " bytes the server reads";
            case URI_TOO_LONG -> "the request's URI is longer than the " + headerSize + " bytes the server reads";
            case HTTP_VERSION -> "the server speaks HTTP/1.1 and HTTP/1.0 only";
            case REQUEST_TIMEOUT -> "the request did not arrive in time";
            case SHUTTING_DOWN -> "the server is stopping";
            case INTERNAL -> "the server failed on this request";
            default -> "the request is not one the server can read"
                    + (reason == null ? "" : ": " + reason.toString().toLowerCase(Locale.ROOT));
        };
    }
}
