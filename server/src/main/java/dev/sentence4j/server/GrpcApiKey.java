package dev.sentence4j.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * The server's API key on gRPC calls: the metadata header {@code authorization: Bearer KEY}, as TEI's
 * gRPC server asks for it; a call without it, or with another key, ends {@code UNAUTHENTICATED}.
 */
final class GrpcApiKey implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ApiKey key;
    private final Metrics metrics;

    GrpcApiKey(String key, Metrics metrics) {
        this.key = new ApiKey(key);
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String authorization = headers.get(AUTHORIZATION);
        String refusal = key.refusal(authorization, "the metadata 'authorization: Bearer KEY'");
        if (refusal == null) {
            return next.startCall(call, headers);
        }
        metrics.failed(Failure.UNAUTHORIZED);
        call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
