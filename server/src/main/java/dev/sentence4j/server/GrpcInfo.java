package dev.sentence4j.server;

import dev.sentence4j.server.grpc.tei.InfoGrpc;
import dev.sentence4j.server.grpc.tei.InfoRequest;
import dev.sentence4j.server.grpc.tei.InfoResponse;
import dev.sentence4j.server.grpc.tei.ModelType;
import io.grpc.stub.StreamObserver;
import java.util.Map;

/**
 * TEI's {@code tei.v1.Info} service: the model the call's {@code model} header names (else the first)
 * and the server's limits, in the fields of {@code GET /info}. A SPLADE or multi-vector model is an
 * embedding model here, as TEI calls its SPLADE models.
 */
final class GrpcInfo extends InfoGrpc.InfoImplBase {
    private final GrpcRoutes routes;

    GrpcInfo(GrpcRoutes routes) {
        this.routes = routes;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> responses) {
        HostedModel model;
        try {
            model = routes.model(InfoGrpc.getInfoMethod());
        } catch (ApiException e) {
            responses.onError(GrpcStatus.of(e).asRuntimeException());
            return;
        }
        Map<String, Object> info = model.info();
        responses.onNext(InfoResponse.newBuilder()
                .setVersion((String) info.get("version"))
                .setModelId((String) info.get("model_id"))
                .setModelDtype((String) info.get("model_dtype"))
                .setModelType(switch (model.served().kind()) {
                    case EMBEDDING -> ModelType.MODEL_TYPE_EMBEDDING;
                    case RERANKER -> ModelType.MODEL_TYPE_RERANKER;
                    case CLASSIFIER -> ModelType.MODEL_TYPE_CLASSIFIER;
                })
                .setMaxConcurrentRequests((Integer) info.get("max_concurrent_requests"))
                .setMaxInputLength((Integer) info.get("max_input_length"))
                .setMaxBatchTokens((Integer) info.get("max_batch_tokens"))
                .setMaxClientBatchSize((Integer) info.get("max_client_batch_size"))
                .setTokenizationWorkers((Integer) info.get("tokenization_workers"))
                .build());
        responses.onCompleted();
    }
}
