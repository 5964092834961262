package dev.sentence4j.server;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.SentenceTransformer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Checks one embedding request against the model and hands its texts to the batcher, which has the
 * model tokenize them once ({@link SentenceTransformer#tokenize}, which adds the prompt).
 */
final class Embedder {
    /**
     * How a request wants its texts encoded; already checked against the model.
     *
     * @param truncate cut texts longer than the model takes, rather than refuse them
     * @param promptName one of the model's prompts, or {@code null} for its default prompt
     * @param normalize unit length forced on or off, or {@code null} to follow the model
     * @param dimensions keep only this many leading dimensions, or 0 for all
     * @param task {@code query} or {@code document}, encoded as {@link SentenceTransformer#encodeQuery} and
     *     {@link SentenceTransformer#encodeDocument} encode (route and prompt), or {@code null} for the default
     */
    record Settings(boolean truncate, String promptName, Boolean normalize, int dimensions, String task) {}

    private final SentenceTransformer model;
    private final ServedModel served;
    private final BatchedRequests<String, EncodeOptions, float[]> requests;
    private final int maxBatchTokens;

    Embedder(SentenceTransformer model, ServedModel served, BatchedRequests<String, EncodeOptions, float[]> requests,
            int maxBatchTokens) {
        this.model = model;
        this.served = served;
        this.requests = requests;
        this.maxBatchTokens = maxBatchTokens;
    }

    /** The prompt name a request gives in a field, checked against the model's prompts; null if it gives none. */
    String promptName(JsonRequest request, String field) {
        return served.promptName(request, field);
    }

    /** The number of dimensions a request asks for in a field, checked against the model's; 0 if it asks none. */
    int dimensions(JsonRequest request, String field) {
        int dimensions = request.positiveInt(field).orElse(0);
        if (dimensions > model.dimension()) {
            throw ApiException.invalid(request.name(field), "field '" + request.name(field) + "' asks for " + dimensions
                    + " dimensions, but the model's vectors have " + model.dimension());
        }
        return dimensions;
    }

    /**
     * Encodes a request's texts once they have been merged into a batch.
     *
     * @param names the field each text came from, for error messages ({@code inputs[2]})
     * @throws ApiException for a text too long for the model when the settings do not truncate
     */
    CompletableFuture<BatchedRequests.Done<float[]>> embed(List<String> texts, Settings settings, IntFunction<String> names) {
        return requests.submit(texts, encodeOptions(settings), settings.truncate(), names);
    }

    private EncodeOptions encodeOptions(Settings settings) {
        // Too long texts were refused above unless the request truncates.
        EncodeOptions options = EncodeOptions.defaults()
                .withMaxBatchTokens(Math.min(EmbeddingServer.RUN_TOKENS, maxBatchTokens))
                .withLongInputs(LongInputs.TRUNCATE);
        if (settings.promptName() != null) {
            options = options.withPromptName(settings.promptName());
        }
        if (settings.normalize() != null) {
            options = options.withNormalize(settings.normalize());
        }
        if (settings.dimensions() > 0) {
            options = options.withTruncateDim(settings.dimensions());
        }
        // After the prompt name: a task's own prompt applies only where the request names none.
        return settings.task() != null ? model.forTask(settings.task(), options) : options;
    }
}
