package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.server.grpc.tei.DecodeRequest;
import dev.sentence4j.server.grpc.tei.DecodeResponse;
import dev.sentence4j.server.grpc.tei.EncodeRequest;
import dev.sentence4j.server.grpc.tei.EncodeResponse;
import dev.sentence4j.server.grpc.tei.SimpleToken;
import dev.sentence4j.server.grpc.tei.TokenizeGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * TEI's {@code tei.v1.Tokenize} service, as {@code POST /tokenize} and {@code /decode}, which every model
 * answers from its tokenizer. Proto3 booleans default to false, so {@code add_special_tokens} and
 * {@code skip_special_tokens} are off unless a message sets them, as in TEI's gRPC API (over HTTP both
 * default to true).
 */
final class GrpcTokenize extends TokenizeGrpc.TokenizeImplBase {
    private static final ModelRoute TOKENIZE = EmbeddingServer.modelRoute("/tokenize");
    private static final ModelRoute DECODE = EmbeddingServer.modelRoute("/decode");

    private final GrpcRoutes routes;

    GrpcTokenize(GrpcRoutes routes) {
        this.routes = routes;
    }

    @Override
    public void tokenize(EncodeRequest request, StreamObserver<EncodeResponse> responses) {
        GrpcRoutes.answer(tokenize(TokenizeGrpc.getTokenizeMethod(), request), responses);
    }

    @Override
    public StreamObserver<EncodeRequest> tokenizeStream(StreamObserver<EncodeResponse> responses) {
        return new GrpcOrderedStream<>(responses, request -> tokenize(TokenizeGrpc.getTokenizeStreamMethod(), request));
    }

    @Override
    public void decode(DecodeRequest request, StreamObserver<DecodeResponse> responses) {
        GrpcRoutes.answer(decode(TokenizeGrpc.getDecodeMethod(), request), responses);
    }

    @Override
    public StreamObserver<DecodeRequest> decodeStream(StreamObserver<DecodeResponse> responses) {
        return new GrpcOrderedStream<>(responses, request -> decode(TokenizeGrpc.getDecodeStreamMethod(), request));
    }

    /** Each token's id, text, whether special, and where a token read from the input starts and stops (in characters). */
    private CompletableFuture<EncodeResponse> tokenize(MethodDescriptor<?, ?> method, EncodeRequest request) {
        return routes.call(method, TOKENIZE, () -> {
            var body = GrpcRoutes.body().put("inputs", request.getInputs()).put("add_special_tokens", request.getAddSpecialTokens());
            if (request.hasPromptName()) {
                body.put("prompt_name", request.getPromptName());
            }
            return body;
        }, GrpcRoutes.chars(request.getInputs()), (json, metadata) -> {
            EncodeResponse.Builder reply = EncodeResponse.newBuilder();
            for (JsonNode token : json.get(0)) {
                SimpleToken.Builder one = SimpleToken.newBuilder().setId((int) token.get("id").longValue())
                        .setText(token.get("text").textValue()).setSpecial(token.get("special").booleanValue());
                if (token.get("start").isNumber()) {
                    one.setStart(token.get("start").intValue()).setStop(token.get("stop").intValue());
                }
                reply.addTokens(one);
            }
            return reply.build();
        });
    }

    private CompletableFuture<DecodeResponse> decode(MethodDescriptor<?, ?> method, DecodeRequest request) {
        return routes.call(method, DECODE, () -> {
            var body = GrpcRoutes.body().put("skip_special_tokens", request.getSkipSpecialTokens());
            var ids = body.putArray("ids");
            request.getIdsList().forEach(id -> ids.add(Integer.toUnsignedLong(id)));
            return body;
        }, 0, (json, metadata) -> DecodeResponse.newBuilder().setText(json.get(0).textValue()).build());
    }
}
