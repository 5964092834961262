package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.server.grpc.tei.PredictGrpc;
import dev.sentence4j.server.grpc.tei.PredictPairRequest;
import dev.sentence4j.server.grpc.tei.PredictRequest;
import dev.sentence4j.server.grpc.tei.PredictResponse;
import dev.sentence4j.server.grpc.tei.Prediction;
import dev.sentence4j.server.grpc.tei.TruncationDirection;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * TEI's {@code tei.v1.Predict} service, as {@code POST /predict}: every label's score, highest first.
 * {@code PredictPair} takes the pair a CrossEncoder scores; {@code Predict}, one text, is refused with
 * {@code INVALID_ARGUMENT} as {@code /predict} refuses a lone text, since sentence4j's CrossEncoders score pairs.
 */
final class GrpcPredict extends PredictGrpc.PredictImplBase {
    private static final ModelRoute PREDICT = EmbeddingServer.modelRoute("/predict");

    private final GrpcRoutes routes;

    GrpcPredict(GrpcRoutes routes) {
        this.routes = routes;
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
        GrpcRoutes.answer(predict(PredictGrpc.getPredictMethod(), request), responses);
    }

    @Override
    public void predictPair(PredictPairRequest request, StreamObserver<PredictResponse> responses) {
        GrpcRoutes.answer(predictPair(PredictGrpc.getPredictPairMethod(), request), responses);
    }

    @Override
    public StreamObserver<PredictRequest> predictStream(StreamObserver<PredictResponse> responses) {
        return new GrpcOrderedStream<>(responses, request -> predict(PredictGrpc.getPredictStreamMethod(), request));
    }

    @Override
    public StreamObserver<PredictPairRequest> predictPairStream(StreamObserver<PredictResponse> responses) {
        return new GrpcOrderedStream<>(responses, request -> predictPair(PredictGrpc.getPredictPairStreamMethod(), request));
    }

    private CompletableFuture<PredictResponse> predict(MethodDescriptor<?, ?> method, PredictRequest request) {
        return run(method, () -> GrpcRoutes.body().put("inputs", request.getInputs()), GrpcRoutes.chars(request.getInputs()),
                request.getTruncate(), request.getRawScores(), request.getTruncationDirection());
    }

    /** One or two texts, as TEI takes them; one is refused as {@link #predict} is. */
    private CompletableFuture<PredictResponse> predictPair(MethodDescriptor<?, ?> method, PredictPairRequest request) {
        List<String> inputs = request.getInputsList();
        return run(method, () -> {
            if (inputs.isEmpty() || inputs.size() > 2) {
                throw ApiException.invalid("inputs", "field 'inputs' must hold one or two texts, got " + inputs.size());
            }
            ObjectNode body = GrpcRoutes.body();
            if (inputs.size() == 1) {
                return body.put("inputs", inputs.get(0));
            }
            body.putArray("inputs").add(inputs.get(0)).add(inputs.get(1));
            return body;
        }, inputs.stream().mapToInt(GrpcRoutes::chars).sum(), request.getTruncate(), request.getRawScores(),
                request.getTruncationDirection());
    }

    private CompletableFuture<PredictResponse> run(MethodDescriptor<?, ?> method, Supplier<ObjectNode> inputs,
            int chars, boolean truncate, boolean raw, TruncationDirection direction) {
        return routes.call(method, PREDICT, () -> GrpcRoutes.truncation(inputs.get(), truncate, direction).put("raw_scores", raw),
                chars, (json, metadata) -> {
                    PredictResponse.Builder reply = PredictResponse.newBuilder().setMetadata(metadata);
                    for (JsonNode prediction : json) {
                        reply.addPredictions(Prediction.newBuilder().setScore(prediction.get("score").floatValue())
                                .setLabel(prediction.get("label").textValue()));
                    }
                    return reply.build();
                });
    }
}
