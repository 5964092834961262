package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.server.grpc.tei.Metadata;
import dev.sentence4j.server.grpc.tei.TruncationDirection;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs gRPC calls through the very routes HTTP requests take: each message becomes the JSON request of
 * the matching TEI route, which picks the model, checks the input, takes a slot of
 * {@code --max-concurrent-requests} and joins the model's batches as an HTTP request would, and the
 * route's reply is read back into the call's reply message. So both APIs share one set of checks,
 * limits, batches and metrics, and give the same numbers.
 */
final class GrpcRoutes {
    /** Reads a route's reply into a gRPC message. */
    @FunctionalInterface
    interface Read<O> {
        /**
         * @param body the reply's JSON
         * @param metadata TEI's timings of the call
         */
        O read(JsonNode body, Metadata metadata);
    }

    private final HostedModels models;
    private final Metrics metrics;

    GrpcRoutes(HostedModels models, Metrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /** An empty JSON request body. */
    static ObjectNode body() {
        return ServerJson.MAPPER.createObjectNode();
    }

    /**
     * TEI's {@code truncate} and {@code truncation_direction}, as a route reads them. Proto3 cannot tell
     * an unset {@code truncate} from false, so false leaves it to the server's {@code --auto-truncate}.
     */
    static ObjectNode truncation(ObjectNode body, boolean truncate, TruncationDirection direction) {
        if (truncate) {
            body.put("truncate", true);
        }
        return body.put("truncation_direction", switch (direction) {
            case TRUNCATION_DIRECTION_RIGHT -> "Right";
            case TRUNCATION_DIRECTION_LEFT -> "Left";
            case UNRECOGNIZED -> throw ApiException.invalid("truncation_direction",
                    "field 'truncation_direction' must be TRUNCATION_DIRECTION_RIGHT or TRUNCATION_DIRECTION_LEFT");
        });
    }

    /** A text's length in characters (code points), TEI's {@code compute_chars}. */
    static int chars(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * Runs one message through a route for the model the call's {@code model} header names.
     *
     * @param method the call's method, which labels its metrics
     * @param body the route's request, built when the call runs: a message it cannot take fails the call
     * @param chars the characters of the message's inputs, for its metadata
     * @return the reply, or a failure with the {@link ApiException} the route refused the request with
     */
    <O> CompletableFuture<O> call(MethodDescriptor<?, ?> method, ModelRoute route, Supplier<ObjectNode> body, int chars,
            Read<O> read) {
        String name = method.getFullMethodName();
        long start = System.nanoTime();
        metrics.received(name);
        CompletableFuture<Reply> reply;
        try {
            ObjectNode request = body.get();
            String model = GrpcModelHeader.requested();
            if (model != null) {
                request.put("model", model);
            }
            reply = models.run(route, JsonRequest.of(request));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<O> result = new CompletableFuture<>();
        reply.whenComplete((answer, error) -> {
            Throwable failure = error;
            if (failure == null) {
                try {
                    result.complete(read.read(json(answer), metadata(answer, chars, start)));
                    metrics.succeeded(name);
                    metrics.requestTook(start);
                    return;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            ApiException refused = ApiException.from(failure);
            metrics.failed(refused.failure());
            result.completeExceptionally(refused);
        });
        return result;
    }

    /** The model the call's {@code model} header names, else the first, for calls that describe it. */
    HostedModel model(MethodDescriptor<?, ?> method) {
        metrics.received(method.getFullMethodName());
        String model = GrpcModelHeader.requested();
        try {
            HostedModel selected = models.select(JsonRequest.of(model == null ? body() : body().put("model", model)));
            metrics.succeeded(method.getFullMethodName());
            return selected;
        } catch (ApiException e) {
            metrics.failed(e.failure());
            throw e;
        }
    }

    /** Answers a unary call with its reply, or ends it with the status of its failure. */
    static <O> void answer(CompletableFuture<O> reply, StreamObserver<O> responses) {
        reply.whenComplete((message, error) -> {
            if (error == null) {
                responses.onNext(message);
                responses.onCompleted();
            } else {
                responses.onError(GrpcStatus.of(ApiException.from(error)).asRuntimeException());
            }
        });
    }

    private static JsonNode json(Reply reply) {
        try {
            return ServerJson.MAPPER.readTree(reply.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TEI's metadata of a call: its characters, and the tokens and timings the route's headers give (in milliseconds). */
    private static Metadata metadata(Reply reply, int chars, long start) {
        return Metadata.newBuilder()
                .setComputeChars(chars)
                .setComputeTokens(Integer.parseInt(reply.headers().getOrDefault("x-compute-tokens", "0")))
                .setTotalTimeNs(System.nanoTime() - start)
                .setTokenizationTimeNs(nanos(reply, "x-tokenization-time"))
                .setQueueTimeNs(nanos(reply, "x-queue-time"))
                .setInferenceTimeNs(nanos(reply, "x-inference-time"))
                .build();
    }

    private static long nanos(Reply reply, String header) {
        return Long.parseLong(reply.headers().getOrDefault(header, "0")) * 1_000_000;
    }
}
