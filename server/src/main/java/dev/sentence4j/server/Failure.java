package dev.sentence4j.server;

/** Why a request failed: its HTTP status, and the names each API and the metrics give it. */
enum Failure {
    /** Malformed JSON, a field of the wrong type or an unusable value. */
    INVALID_REQUEST(422, "validation", "invalid_request_error", "invalid_request"),
    /** More inputs in one request than {@code --max-client-batch-size}. */
    TOO_MANY_INPUTS(422, "validation", "invalid_request_error", "batch_size"),
    /** An input longer than the model takes, with truncation off. */
    INPUT_TOO_LONG(422, "validation", "invalid_request_error", "input_too_long"),
    /** An empty list of inputs. */
    EMPTY(400, "empty", "invalid_request_error", "empty"),
    /** A body larger than {@code --payload-limit}. */
    PAYLOAD_TOO_LARGE(413, "validation", "invalid_request_error", "payload_too_large"),
    /** No API key, or the wrong one. */
    UNAUTHORIZED(401, "unauthorized", "invalid_request_error", "invalid_api_key"),
    /** A path the server does not serve. */
    NOT_FOUND(404, "not_found", "invalid_request_error", "not_found"),
    /** A {@code model} field naming a model the server does not serve, as OpenAI answers it. */
    MODEL_NOT_FOUND(404, "validation", "invalid_request_error", "model_not_found"),
    /** A path served with another method. */
    METHOD_NOT_ALLOWED(405, "validation", "invalid_request_error", "method_not_allowed"),
    /** More requests in flight than {@code --max-concurrent-requests}. */
    OVERLOADED(429, "overloaded", "rate_limit_error", "overloaded"),
    /** A route of another family of model than the one served: {@code /rerank} on an embedding model. */
    WRONG_MODEL(424, "backend", "invalid_request_error", "model_type"),
    /** The server is stopping and takes no new work. */
    SHUTTING_DOWN(503, "unhealthy", "server_error", "shutting_down"),
    /** The model failed on a request that passed validation. */
    BACKEND(500, "backend", "server_error", "backend"),
    /** A request HTTP cannot read: an ambiguous or malformed request line, a body cut short. */
    BAD_REQUEST(400, "validation", "invalid_request_error", "bad_request"),
    /** A body declared as something other than JSON ({@code Content-Type: text/plain}). */
    UNSUPPORTED_MEDIA_TYPE(415, "validation", "invalid_request_error", "unsupported_media_type"),
        /** A request body that arrived too slowly, or stopped arriving. */
    REQUEST_TIMEOUT(408, "validation", "invalid_request_error", "request_timeout"),
    /** A request line longer than the server reads. */
    URI_TOO_LONG(414, "validation", "invalid_request_error", "uri_too_long"),
    /** Request headers larger than the server reads. */
    HEADERS_TOO_LARGE(431, "validation", "invalid_request_error", "headers_too_large"),
    /** An HTTP version the server does not speak. */
    HTTP_VERSION(505, "validation", "invalid_request_error", "http_version_not_supported"),
    /** A failure of the server itself, outside the model. */
    INTERNAL(500, "backend", "server_error", "internal");

    private final int status;
    private final String teiType;
    private final String openAiType;
    private final String code;

    Failure(int status, String teiType, String openAiType, String code) {
        this.status = status;
        this.teiType = teiType;
        this.openAiType = openAiType;
        this.code = code;
    }

    /** The failure an HTTP status stands for, for errors the HTTP layer finds before any route runs. */
    static Failure ofStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> SHUTTING_DOWN;
            case 505 -> HTTP_VERSION;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }

    int status() {
        return status;
    }

    /** TEI's {@code error_type}. */
    String teiType() {
        return teiType;
    }

    /** OpenAI's {@code error.type}. */
    String openAiType() {
        return openAiType;
    }

    /** OpenAI's {@code error.code}, and the {@code err} label of the failure counter. */
    String code() {
        return code;
    }
}
