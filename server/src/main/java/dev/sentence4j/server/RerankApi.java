package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LongInputs;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Reranking by a CrossEncoder with one label: the query scored with each text, best first, as
 * Hugging Face Text Embeddings Inference's {@code POST /rerank} and as the {@code POST /v1/rerank}
 * that Cohere, Jina and Infinity share.
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
    CompletableFuture<Reply> rerank(JsonRequest request) {
        String query = request.requiredText("query");
        List<String> texts = request.texts("texts", options.maxClientBatchSize());
        boolean raw = request.bool("raw_scores").orElse(false);
        boolean returnText = request.bool("return_text").orElse(false);
        boolean truncate = TeiApi.truncate(request, options);
        return score(query, texts, raw, truncate, i -> "texts[" + i + "] with the query").thenApply(done -> {
            return Reply.json(teiRanking(texts, floats(done.outputs()), returnText), done.headers());
        });
    }

    /**
     * {@code POST /v1/rerank}, as Cohere, Jina and Infinity take it: {@code query}, {@code documents}
     * (strings, or objects with a {@code text}), {@code top_n} and {@code return_documents}; the reply's
     * {@code results} are {@code {"index", "relevance_score", "document"?: {"text"}}}, best first, scored
     * with the model's activation, with Jina's {@code usage} and Cohere's {@code meta} beside them. Long
     * documents are cut to the model's length, as those services cut them, unless {@code "truncate": false}.
     */
    CompletableFuture<Reply> cohere(JsonRequest request, String modelName) {
        String query = request.requiredText("query");
        List<String> documents = documents(request);
        int topN = request.positiveInt("top_n").orElse(documents.size());
        boolean returnDocuments = request.bool("return_documents").orElse(false);
        // Cohere and Jina cut long documents rather than refuse them.
        boolean truncate = request.bool("truncate").orElse(true);
        return score(query, documents, false, truncate, i -> "documents[" + i + "] with the query").thenApply(done -> {
            List<Integer> order = bestFirst(floats(done.outputs()));
            return Reply.json(ServerJson.bytes(json -> {
                json.writeStartObject();
                json.writeStringField("id", UUID.randomUUID().toString());
                json.writeStringField("model", modelName);
                json.writeArrayFieldStart("results");
                for (int i : order.subList(0, Math.min(topN, order.size()))) {
                    json.writeStartObject();
                    json.writeNumberField("index", i);
                    json.writeNumberField("relevance_score", done.outputs().get(i));
                    if (returnDocuments) {
                        json.writeObjectFieldStart("document");
                        json.writeStringField("text", documents.get(i));
                        json.writeEndObject();
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeObjectFieldStart("usage");
                json.writeNumberField("prompt_tokens", done.tokens());
                json.writeNumberField("total_tokens", done.tokens());
                json.writeEndObject();
                json.writeObjectFieldStart("meta");
                json.writeObjectFieldStart("api_version");
                json.writeStringField("version", "1");
                json.writeEndObject();
                json.writeObjectFieldStart("billed_units");
                json.writeNumberField("search_units", 1);
                json.writeEndObject();
                json.writeEndObject();
                json.writeEndObject();
            }), done.headers());
        });
    }

    /** Cohere's and Jina's {@code documents}: each a string, or an object whose {@code text} is one. */
    private List<String> documents(JsonRequest request) {
        JsonNode value = request.node("documents");
        if (value != null && value.isArray() && value.size() > 0 && value.size() <= options.maxClientBatchSize()) {
            List<String> texts = new ArrayList<>(value.size());
            boolean objects = false;
            for (int i = 0; i < value.size(); i++) {
                JsonNode document = value.get(i);
                String name = "documents[" + i + "]";
                if (document.isObject()) {
                    objects = true;
                    JsonNode text = document.get("text");
                    if (text == null || !text.isTextual()) {
                        throw ApiException.invalid(name + ".text", "field '" + name + ".text' must be a string, got "
                                + (text == null ? "nothing" : JsonRequest.describe(text)));
                    }
                    texts.add(JsonRequest.wellFormed(text.textValue(), name + ".text"));
                } else if (document.isTextual()) {
                    texts.add(JsonRequest.wellFormed(document.textValue(), name));
                } else {
                    throw ApiException.invalid(name, "field '" + name + "' must be a string or an object with a 'text', got "
                            + JsonRequest.describe(document));
                }
            }
            if (objects) {
                return texts;
            }
        }
        return request.texts("documents", options.maxClientBatchSize());
    }

    private CompletableFuture<BatchedRequests.Done<Float>> score(String query, List<String> texts, boolean raw, boolean truncate,
            IntFunction<String> names) {
        if (model.labels().size() != 1) {
            throw new ApiException(Failure.WRONG_MODEL, "model is not a re-ranker model: " + model.name() + " has "
                    + model.labels().size() + " labels " + model.labels() + ", a reranker one; /predict scores all of them", null);
        }
        List<TextPair> pairs = texts.stream().map(text -> new TextPair(query, text)).toList();
        PredictOptions predict = PredictOptions.defaults().withMaxBatchTokens(EmbeddingServer.RUN_TOKENS)
                .withLongInputs(LongInputs.TRUNCATE).withApplyActivation(!raw);
        return requests.submit(pairs, predict, truncate, names);
    }

    /** TEI's {@code /rerank} reply body: {@code index}, the text if asked, and {@code score} per text, best first. */
    static byte[] teiRanking(List<String> texts, float[] scores, boolean returnText) {
        return ServerJson.bytes(json -> {
            json.writeStartArray();
            for (int i : bestFirst(scores)) {
                json.writeStartObject();
                json.writeNumberField("index", i);
                if (returnText) {
                    json.writeStringField("text", texts.get(i));
                }
                json.writeNumberField("score", scores[i]);
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static float[] floats(List<Float> scores) {
        float[] values = new float[scores.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scores.get(i);
        }
        return values;
    }

    /** Indices by score, best first; equal scores keep their order, as sentence-transformers' {@code rank}. */
    private static List<Integer> bestFirst(float[] scores) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        return order;
    }
}
