package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.server.grpc.tei.EmbedAllRequest;
import dev.sentence4j.server.grpc.tei.EmbedAllResponse;
import dev.sentence4j.server.grpc.tei.EmbedGrpc;
import dev.sentence4j.server.grpc.tei.EmbedRequest;
import dev.sentence4j.server.grpc.tei.EmbedResponse;
import dev.sentence4j.server.grpc.tei.EmbedSparseRequest;
import dev.sentence4j.server.grpc.tei.EmbedSparseResponse;
import dev.sentence4j.server.grpc.tei.SparseValue;
import dev.sentence4j.server.grpc.tei.TokenEmbedding;
import dev.sentence4j.server.grpc.tei.TruncationDirection;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * TEI's {@code tei.v1.Embed} service: {@code Embed} (a pooled vector, as {@code POST /embed}),
 * {@code EmbedSparse} (as {@code /embed_sparse}), {@code EmbedAll} (token vectors, as {@code /embed_all}),
 * each also as a stream. One text per message, as TEI's gRPC API takes them.
 */
final class GrpcEmbed extends EmbedGrpc.EmbedImplBase {
    private static final ModelRoute EMBED = EmbeddingServer.modelRoute("/embed");
    private static final ModelRoute SPARSE = EmbeddingServer.modelRoute("/embed_sparse");
    private static final ModelRoute ALL = EmbeddingServer.modelRoute("/embed_all");

    private final GrpcRoutes routes;

    GrpcEmbed(GrpcRoutes routes) {
        this.routes = routes;
    }

    @Override
    public void embed(EmbedRequest request, StreamObserver<EmbedResponse> responses) {
        GrpcRoutes.answer(embed(EmbedGrpc.getEmbedMethod(), request), responses);
    }

    @Override
    public StreamObserver<EmbedRequest> embedStream(StreamObserver<EmbedResponse> responses) {
        return new GrpcOrderedStream<>(responses, request -> embed(EmbedGrpc.getEmbedStreamMethod(), request));
    }

    @Override
    public void embedSparse(EmbedSparseRequest request, StreamObserver<EmbedSparseResponse> responses) {
        GrpcRoutes.answer(embedSparse(EmbedGrpc.getEmbedSparseMethod(), request), responses);
    }

    @Override
    public StreamObserver<EmbedSparseRequest> embedSparseStream(StreamObserver<EmbedSparseResponse> responses) {
        return new GrpcOrderedStream<>(responses, request -> embedSparse(EmbedGrpc.getEmbedSparseStreamMethod(), request));
    }

    @Override
    public void embedAll(EmbedAllRequest request, StreamObserver<EmbedAllResponse> responses) {
        GrpcRoutes.answer(embedAll(EmbedGrpc.getEmbedAllMethod(), request), responses);
    }

    @Override
    public StreamObserver<EmbedAllRequest> embedAllStream(StreamObserver<EmbedAllResponse> responses) {
        return new GrpcOrderedStream<>(responses, request -> embedAll(EmbedGrpc.getEmbedAllStreamMethod(), request));
    }

    /** The HTTP body of one text's message: its truncation, and its prompt where it names one ({@code null} if not). */
    private static ObjectNode body(String inputs, boolean truncate, TruncationDirection direction, String promptName) {
        ObjectNode body = GrpcRoutes.truncation(GrpcRoutes.body().put("inputs", inputs), truncate, direction);
        if (promptName != null) {
            body.put("prompt_name", promptName);
        }
        return body;
    }

    /** TEI's default: normalized, unless the message says; a prompt and fewer dimensions only where it asks. */
    private CompletableFuture<EmbedResponse> embed(MethodDescriptor<?, ?> method, EmbedRequest request) {
        return routes.call(method, EMBED, () -> {
            ObjectNode body = body(request.getInputs(), request.getTruncate(), request.getTruncationDirection(),
                    request.hasPromptName() ? request.getPromptName() : null);
            if (request.hasNormalize()) {
                body.put("normalize", request.getNormalize());
            }
            if (request.hasDimensions()) {
                body.put("dimensions", Integer.toUnsignedLong(request.getDimensions()));
            }
            return body;
        }, GrpcRoutes.chars(request.getInputs()), (json, metadata) -> {
            EmbedResponse.Builder reply = EmbedResponse.newBuilder().setMetadata(metadata);
            for (JsonNode value : json.get(0)) {
                reply.addEmbeddings(value.floatValue());
            }
            return reply.build();
        });
    }

    /** The non-zero entries, by increasing index, as TEI gives them. */
    private CompletableFuture<EmbedSparseResponse> embedSparse(MethodDescriptor<?, ?> method, EmbedSparseRequest request) {
        return routes.call(method, SPARSE, () -> body(request.getInputs(), request.getTruncate(), request.getTruncationDirection(),
                request.hasPromptName() ? request.getPromptName() : null), GrpcRoutes.chars(request.getInputs()), (json, metadata) -> {
            EmbedSparseResponse.Builder reply = EmbedSparseResponse.newBuilder().setMetadata(metadata);
            for (JsonNode entry : json.get(0)) {
                reply.addSparseEmbeddings(SparseValue.newBuilder().setIndex(entry.get("index").intValue())
                        .setValue(entry.get("value").floatValue()));
            }
            return reply.build();
        });
    }

    /** Every token's vector, special tokens and prompt included, as {@code /embed_all} gives them. */
    private CompletableFuture<EmbedAllResponse> embedAll(MethodDescriptor<?, ?> method, EmbedAllRequest request) {
        return routes.call(method, ALL, () -> body(request.getInputs(), request.getTruncate(), request.getTruncationDirection(),
                request.hasPromptName() ? request.getPromptName() : null), GrpcRoutes.chars(request.getInputs()), (json, metadata) -> {
            EmbedAllResponse.Builder reply = EmbedAllResponse.newBuilder().setMetadata(metadata);
            for (JsonNode token : json.get(0)) {
                TokenEmbedding.Builder vector = TokenEmbedding.newBuilder();
                for (JsonNode value : token) {
                    vector.addEmbeddings(value.floatValue());
                }
                reply.addTokenEmbeddings(vector);
            }
            return reply.build();
        });
    }
}
