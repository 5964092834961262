package dev.sentence4j.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * The gRPC metadata header {@code model}, which picks the model a call runs, as the {@code model} field
 * does over HTTP: TEI's messages have no such field, since TEI serves one model. Read into the call's
 * context, where the services find it.
 */
final class GrpcModelHeader implements ServerInterceptor {
    /** The header's name. */
    static final String NAME = "model";

    private static final Metadata.Key<String> KEY = Metadata.Key.of(NAME, Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> MODEL = Context.key("sentence4j-model");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String model = headers.get(KEY);
        return model == null ? next.startCall(call, headers)
                : Contexts.interceptCall(Context.current().withValue(MODEL, model), call, headers, next);
    }

    /** The model the current call names, or {@code null} if it names none. */
    static String requested() {
        return MODEL.get();
    }
}
