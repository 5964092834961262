package dev.sentence4j.server;

/** A request the server refuses or cannot serve, with a message for the client and the field at fault. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

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
