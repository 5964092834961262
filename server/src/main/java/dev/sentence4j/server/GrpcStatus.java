package dev.sentence4j.server;

import io.grpc.Status;

/**
 * The gRPC status of a failed call: TEI's codes for its own error kinds (validation and empty input:
 * {@code INVALID_ARGUMENT}, overloaded: {@code RESOURCE_EXHAUSTED}, a model of the wrong type or a failing
 * backend: {@code FAILED_PRECONDITION}, unhealthy: {@code UNAVAILABLE}), and gRPC's usual ones for what
 * TEI, serving a single model, never meets (a model not served: {@code NOT_FOUND}).
 */
final class GrpcStatus {
    private GrpcStatus() {}

    /** The status a failure is answered with, its message the client's. */
    static Status of(ApiException e) {
        Status code = switch (e.failure()) {
            case INVALID_REQUEST, TOO_MANY_INPUTS, INPUT_TOO_LONG, EMPTY, BAD_REQUEST, UNSUPPORTED_MEDIA_TYPE -> Status.INVALID_ARGUMENT;
            case PAYLOAD_TOO_LARGE, OVERLOADED -> Status.RESOURCE_EXHAUSTED;
            case UNAUTHORIZED -> Status.UNAUTHENTICATED;
            case NOT_FOUND, MODEL_NOT_FOUND -> Status.NOT_FOUND;
            case WRONG_MODEL, BACKEND -> Status.FAILED_PRECONDITION;
            case SHUTTING_DOWN -> Status.UNAVAILABLE;
            case REQUEST_TIMEOUT -> Status.DEADLINE_EXCEEDED;
            case METHOD_NOT_ALLOWED -> Status.UNIMPLEMENTED;
            case URI_TOO_LONG, HEADERS_TOO_LARGE, HTTP_VERSION, INTERNAL -> Status.INTERNAL;
        };
        return code.withDescription(e.getMessage());
    }
}
