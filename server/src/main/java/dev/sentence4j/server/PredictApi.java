package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LongInputs;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hugging Face Text Embeddings Inference's {@code POST /predict}, answered by a CrossEncoder with any
 * number of labels: every label's score of each pair, as {@link CrossEncoder#predictAll} gives them.
 */
final class PredictApi {
    private final CrossEncoder model;
    private final BatchedRequests<TextPair, PredictOptions, float[]> requests;
    private final ServerOptions options;

    PredictApi(CrossEncoder model, BatchedRequests<TextPair, PredictOptions, float[]> requests, ServerOptions options) {
        this.model = model;
        this.requests = requests;
        this.options = options;
    }

    /** The model as the batcher calls it: every label's score per pair. */
    static Batcher.Model<TextPair, float[]> scores(CrossEncoder model) {
        return pairs -> Arrays.asList(model.predictAll(pairs));
    }

    /**
     * {@code POST /predict}: {@code inputs} one pair {@code [text, text]} or a list of them, with
     * {@code raw_scores} (logits rather than the model's activation), {@code truncate} and
     * {@code truncation_direction}; the reply is each pair's {@code [{"score", "label"}]}, highest first
     * as TEI sorts them, one list for one pair and a list of lists for several.
     */
    CompletableFuture<Reply> predict(JsonRequest request) {
        JsonNode inputs = request.node("inputs");
        boolean batch = inputs != null && inputs.isArray() && inputs.size() > 0 && inputs.get(0).isArray();
        List<TextPair> pairs = batch ? batch(inputs) : List.of(pair(inputs, "inputs"));
        boolean raw = request.bool("raw_scores").orElse(false);
        boolean truncate = TeiApi.truncate(request, options);
        PredictOptions predict = PredictOptions.defaults().withMaxBatchTokens(EmbeddingServer.RUN_TOKENS)
                .withLongInputs(LongInputs.TRUNCATE).withApplyActivation(!raw);
        List<String> labels = model.labels();
        return requests.submit(pairs, predict, truncate, i -> batch ? "inputs[" + i + "]" : "inputs").thenApply(done -> Reply.json(
                ServerJson.bytes(json -> {
                    if (batch) {
                        json.writeStartArray();
                    }
                    for (float[] scores : done.outputs()) {
                        List<Integer> order = new ArrayList<>();
                        for (int label = 0; label < scores.length; label++) {
                            order.add(label);
                        }
                        order.sort(Comparator.comparingDouble((Integer label) -> scores[label]).reversed());
                        json.writeStartArray();
                        for (int label : order) {
                            json.writeStartObject();
                            json.writeNumberField("score", scores[label]);
                            json.writeStringField("label", labels.get(label));
                            json.writeEndObject();
                        }
                        json.writeEndArray();
                    }
                    if (batch) {
                        json.writeEndArray();
                    }
                }), done.headers()));
    }

    private List<TextPair> batch(JsonNode inputs) {
        if (inputs.size() > options.maxClientBatchSize()) {
            throw new ApiException(Failure.TOO_MANY_INPUTS, "field 'inputs' holds " + inputs.size() + " pairs, more than the "
                    + options.maxClientBatchSize() + " one request may hold (--max-client-batch-size): split it", "inputs");
        }
        List<TextPair> pairs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            pairs.add(pair(inputs.get(i), "inputs[" + i + "]"));
        }
        return pairs;
    }

    /** One input: a pair of texts; a lone text is refused, since a CrossEncoder scores pairs. */
    private static TextPair pair(JsonNode value, String name) {
        if (value == null) {
            throw ApiException.invalid(name, "field '" + name + "' is missing: send a pair [text, text] or a list of pairs");
        }
        if (value.isArray() && value.isEmpty()) {
            throw new ApiException(Failure.EMPTY, "field '" + name + "' is an empty list: send a pair [text, text] or a list of"
                    + " pairs", name);
        }
        boolean lone = value.isTextual() || value.isArray() && value.size() == 1 && value.get(0).isTextual();
        if (lone) {
            throw ApiException.invalid(name, "field '" + name + "' holds one text, but " + "this server's models score pairs of"
                    + " texts (CrossEncoder): send [text, text]");
        }
        if (!value.isArray() || value.size() != 2) {
            throw ApiException.invalid(name, "field '" + name + "' must be a pair [text, text], got " + (value.isArray()
                    ? "a list of " + value.size() : JsonRequest.describe(value)));
        }
        String[] texts = new String[2];
        for (int i = 0; i < 2; i++) {
            JsonNode text = value.get(i);
            if (!text.isTextual()) {
                throw ApiException.invalid(name + "[" + i + "]", "field '" + name + "[" + i + "]' must be a string, got "
                        + JsonRequest.describe(text));
            }
            texts[i] = JsonRequest.wellFormed(text.textValue(), name + "[" + i + "]");
        }
        return new TextPair(texts[0], texts[1]);
    }
}
