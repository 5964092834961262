package dev.sentence4j.server;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LongInputs;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hugging Face Text Embeddings Inference's {@code POST /rerank}, answered by a CrossEncoder with one
 * label: the query scored with each text, best first.
 */
final class RerankApi {
    private final CrossEncoder model;
    private final BatchedRequests<TextPair, PredictOptions, Float> requests;
    private final ServerOptions options;

    RerankApi(CrossEncoder model, BatchedRequests<TextPair, PredictOptions, Float> requests, ServerOptions options) {
        this.model = model;
        this.requests = requests;
        this.options = options;
    }

    /** The model as the batcher calls it: a score per pair. */
    static Batcher.Model<TextPair, Float> scores(CrossEncoder model) {
        return pairs -> {
            float[] scores = model.predict(pairs);
            List<Float> boxed = new ArrayList<>(scores.length);
            for (float score : scores) {
                boxed.add(score);
            }
            return boxed;
        };
    }

    /**
     * {@code POST /rerank}: {@code query} and {@code texts}, with {@code raw_scores} (logits rather than
     * the model's activation), {@code return_text}, {@code truncate} and {@code truncation_direction};
     * the reply is {@code [{"index", "score", "text"?}]}, best first (equal scores in the texts' order,
     * as sentence-transformers' {@code rank}).
     */
    CompletableFuture<Reply> rerank(byte[] body) {
        JsonRequest request = JsonRequest.parse(body);
        String query = request.requiredText("query");
        List<String> texts = request.texts("texts", options.maxClientBatchSize());
        boolean raw = request.bool("raw_scores").orElse(false);
        boolean returnText = request.bool("return_text").orElse(false);
        boolean truncate = TeiApi.truncate(request, options);
        if (model.labels().size() != 1) {
            throw new ApiException(Failure.WRONG_MODEL, "model is not a re-ranker model: " + model.name() + " has "
                    + model.labels().size() + " labels " + model.labels() + ", a reranker one", null);
        }
        List<TextPair> pairs = texts.stream().map(text -> new TextPair(query, text)).toList();
        PredictOptions predict = PredictOptions.defaults().withMaxBatchTokens(EmbeddingServer.RUN_TOKENS)
                .withLongInputs(LongInputs.TRUNCATE).withApplyActivation(!raw);
        return requests.submit(pairs, predict, truncate, i -> "texts[" + i + "] with the query")
                .thenApply(done -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < texts.size(); i++) {
                        order.add(i);
                    }
                    order.sort(Comparator.comparingDouble((Integer i) -> done.outputs().get(i)).reversed());
                    return Reply.json(ServerJson.bytes(json -> {
                        json.writeStartArray();
                        for (int i : order) {
                            json.writeStartObject();
                            json.writeNumberField("index", i);
                            if (returnText) {
                                json.writeStringField("text", texts.get(i));
                            }
                            json.writeNumberField("score", done.outputs().get(i));
                            json.writeEndObject();
                        }
                        json.writeEndArray();
                    }), done.headers());
                });
    }
}
