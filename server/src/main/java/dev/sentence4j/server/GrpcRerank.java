package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sentence4j.server.grpc.tei.Rank;
import dev.sentence4j.server.grpc.tei.RerankGrpc;
import dev.sentence4j.server.grpc.tei.RerankRequest;
import dev.sentence4j.server.grpc.tei.RerankResponse;
import dev.sentence4j.server.grpc.tei.RerankStreamRequest;
import dev.sentence4j.server.grpc.tei.TruncationDirection;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * TEI's {@code tei.v1.Rerank} service, as {@code POST /rerank}: the query scored with each text, best
 * first, by a CrossEncoder (or by MaxSim, for a multi-vector model). {@code RerankStream} takes the
 * pairs one message each and answers once, when the client has sent them all.
 */
final class GrpcRerank extends RerankGrpc.RerankImplBase {
    private static final ModelRoute RERANK = EmbeddingServer.modelRoute("/rerank");

    private final GrpcRoutes routes;
    private final int maxClientBatchSize;

    /**
     * @param maxClientBatchSize the most texts one {@code Rerank} may hold, and the most of a stream scored in one request
     */
    GrpcRerank(GrpcRoutes routes, int maxClientBatchSize) {
        this.routes = routes;
        this.maxClientBatchSize = maxClientBatchSize;
    }

    @Override
    public void rerank(RerankRequest request, StreamObserver<RerankResponse> responses) {
        GrpcRoutes.answer(rerank(RerankGrpc.getRerankMethod(), request.getQuery(), request.getTextsList(), request.getTruncate(),
                request.getRawScores(), request.getReturnText(), request.getTruncationDirection()), responses);
    }

    @Override
    public StreamObserver<RerankStreamRequest> rerankStream(StreamObserver<RerankResponse> responses) {
        return new GrpcRerankStream(this, maxClientBatchSize, responses);
    }

    /** The texts ranked against the query, each rank's index the text's place in {@code texts}. */
    CompletableFuture<RerankResponse> rerank(MethodDescriptor<?, ?> method, String query, List<String> texts, boolean truncate,
            boolean raw, boolean returnText, TruncationDirection direction) {
        int chars = texts.stream().mapToInt(text -> GrpcRoutes.chars(query) + GrpcRoutes.chars(text)).sum();
        return routes.call(method, RERANK, () -> {
            var body = GrpcRoutes.truncation(GrpcRoutes.body().put("query", query), truncate, direction)
                    .put("raw_scores", raw).put("return_text", returnText);
            ArrayNode array = body.putArray("texts");
            texts.forEach(array::add);
            return body;
        }, chars, (json, metadata) -> {
            RerankResponse.Builder reply = RerankResponse.newBuilder().setMetadata(metadata);
            for (JsonNode rank : json) {
                Rank.Builder one = Rank.newBuilder().setIndex(rank.get("index").intValue()).setScore(rank.get("score").floatValue());
                if (rank.has("text")) {
                    one.setText(rank.get("text").textValue());
                }
                reply.addRanks(one);
            }
            return reply.build();
        });
    }
}
