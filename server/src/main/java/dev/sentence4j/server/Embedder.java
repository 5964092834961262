package dev.sentence4j.server;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TokenizedTexts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * Checks one request's texts and hands them to the batcher: each request is tokenized on its own, once,
 * by the model's {@link SentenceTransformer#tokenize} (which adds the prompt), before any merging, so
 * that a text too long for the model fails only its own request, and so that the batcher knows how
 * many tokens each request brings.
 */
final class Embedder {
    /**
     * How a request wants its texts encoded; already checked against the model.
     *
     * @param truncate cut texts longer than the model takes, rather than refuse them
     * @param promptName one of the model's prompts, or {@code null} for its default prompt
     * @param normalize unit length forced on or off, or {@code null} to follow the model
     * @param dimensions keep only this many leading dimensions, or 0 for all
     */
    record Settings(boolean truncate, String promptName, Boolean normalize, int dimensions) {}

    /**
     * A request's vectors.
     *
     * @param tokens the tokens the model read, special tokens and prompt included
     */
    record Embedded(float[][] vectors, int tokens, long tokenizeNanos, long queuedNanos, long inferenceNanos) {
        /** TEI's timing headers, in milliseconds. */
        Map<String, String> headers() {
            return Map.of(
                    "x-compute-tokens", Integer.toString(tokens),
                    "x-tokenization-time", Long.toString(tokenizeNanos / 1_000_000),
                    "x-queue-time", Long.toString(queuedNanos / 1_000_000),
                    "x-inference-time", Long.toString(inferenceNanos / 1_000_000));
        }
    }

    private final SentenceTransformer model;
    private final Batcher batcher;
    private final Metrics metrics;
    private final Executor replies;
    private final int maxBatchTokens;

    /**
     * @param replies where results continue once their batch is done, off the batcher's threads
     */
    Embedder(SentenceTransformer model, Batcher batcher, Metrics metrics, Executor replies, int maxBatchTokens) {
        this.model = model;
        this.batcher = batcher;
        this.metrics = metrics;
        this.replies = replies;
        this.maxBatchTokens = maxBatchTokens;
    }

    /** The prompt name a request gives in a field, checked against the model's prompts; null if it gives none. */
    String promptName(JsonRequest request, String field) {
        String name = request.text(field).orElse(null);
        if (name != null && !model.config().prompts().containsKey(name)) {
            Map<String, String> prompts = model.config().prompts();
            throw ApiException.invalid(request.name(field), "the model has no prompt named '" + name + "' (field '"
                    + request.name(field) + "'); " + (prompts.isEmpty() ? "it has none" : "it has " + prompts.keySet()));
        }
        return name;
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
    CompletableFuture<Embedded> embed(List<String> texts, Settings settings, IntFunction<String> names) {
        long start = System.nanoTime();
        TokenizedTexts tokenized = model.tokenize(texts, encodeOptions(settings));
        int most = model.tokenizer().settings().maxSeqLength();
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            int length = tokenized.tokenCount(i);
            if (length > most && !settings.truncate()) {
                throw new ApiException(Failure.INPUT_TOO_LONG, names.apply(i) + " has " + length + " tokens, more than the "
                        + most + " the model takes; send \"truncate\": true to cut it, or start the server with --auto-truncate",
                        names.apply(i));
            }
            tokens += Math.min(length, most);
        }
        long tokenizeNanos = System.nanoTime() - start;
        metrics.tokenizationDuration.observeNanos(tokenizeNanos);
        int total = tokens;
        return batcher.submit(tokenized, total).thenApplyAsync(
                result -> new Embedded(result.vectors(), total, tokenizeNanos, result.queuedNanos(), result.inferenceNanos()),
                replies);
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
        return settings.dimensions() > 0 ? options.withTruncateDim(settings.dimensions()) : options;
    }
}
