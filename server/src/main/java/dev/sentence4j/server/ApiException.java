package dev.sentence4j.server;

import java.util.concurrent.CompletionException;

/** A request the server refuses or cannot serve, with a message for the client and the field at fault. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ApiException.class.getName());

    private final Failure failure;
    private final String param;

    /**
     * @param param the request field at fault, as the client wrote it ({@code inputs[2]}), or {@code null}
     */
    ApiException(Failure failure, String message, String param) {
        // Expected outcomes of bad requests: no stack trace to fill.
        super(message, null, false, false);
        this.failure = failure;
        this.param = param;
    }

    /**
     * What a request's work failed with, as its error reply names it: the {@link ApiException} itself, a
     * model that does not do what the route asks (a static model's token embeddings) as the wrong model, or
     * any other failure, logged with its stack trace, as the model failing on the request.
     */
    static ApiException from(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiException api) {
            return api;
        }
        String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        if (cause instanceof UnsupportedOperationException) {
            return new ApiException(Failure.WRONG_MODEL, message, null);
        }
        LOG.log(System.Logger.Level.WARNING, "a request failed: " + message, cause);
        return new ApiException(Failure.BACKEND, "the model failed on this request: " + message, null);
    }

    static ApiException invalid(String param, String message) {
        return new ApiException(Failure.INVALID_REQUEST, message, param);
    }

    Failure failure() {
        return failure;
    }

    String param() {
        return param;
    }
}
