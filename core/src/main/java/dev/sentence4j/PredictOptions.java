package dev.sentence4j;

/**
 * Choices for one {@link CrossEncoder} call; start from {@link #defaults()} and change what you need.
 *
 * @param batchSize the most pairs per transformer run (default 32)
 * @param maxBatchTokens the most tokens, padding included, per transformer run (default 16384)
 * @param applyActivation apply the model's activation to the logits (default), or return raw logits
 * @param applySoftmax turn each pair's scores into a softmax over the labels, after the activation
 * @param prompt text prepended to the first text of every pair, or {@code null}
 * @param promptName the name of one of the model's prompts, or {@code null} for its default prompt
 * @param longInputs what to do with pairs longer than the model takes: {@link LongInputs#TRUNCATE}
 *     (the longer text loses tokens first, as sentence-transformers) or {@link LongInputs#ERROR}
 */
public record PredictOptions(
        int batchSize,
        int maxBatchTokens,
        boolean applyActivation,
        boolean applySoftmax,
        String prompt,
        String promptName,
        LongInputs longInputs) {

    public PredictOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("max batch tokens must be at least 1, got " + maxBatchTokens);
        }
        if (longInputs == null) {
            throw new IllegalArgumentException("long-input policy must be given");
        }
        if (longInputs == LongInputs.CHUNK) {
            throw new IllegalArgumentException("a cross-encoder scores a pair as one input: long pairs can be truncated"
                    + " or refused (TRUNCATE, ERROR), not chunked");
        }
    }

    /** The defaults: batches of 32, the model's activation, no softmax, its default prompt, long pairs truncated. */
    public static PredictOptions defaults() {
        return new PredictOptions(EncodeOptions.DEFAULT_BATCH_SIZE, EncodeOptions.DEFAULT_MAX_BATCH_TOKENS, true, false, null,
                null, LongInputs.TRUNCATE);
    }

    /** These options with another batch size. */
    public PredictOptions withBatchSize(int size) {
        return new PredictOptions(size, maxBatchTokens, applyActivation, applySoftmax, prompt, promptName, longInputs);
    }

    /** These options with another token budget per transformer run. */
    public PredictOptions withMaxBatchTokens(int tokens) {
        return new PredictOptions(batchSize, tokens, applyActivation, applySoftmax, prompt, promptName, longInputs);
    }

    /** These options applying the model's activation, or ({@code false}) giving raw logits. */
    public PredictOptions withApplyActivation(boolean apply) {
        return new PredictOptions(batchSize, maxBatchTokens, apply, applySoftmax, prompt, promptName, longInputs);
    }

    /** These options with a softmax over each pair's labels, or without. */
    public PredictOptions withApplySoftmax(boolean apply) {
        return new PredictOptions(batchSize, maxBatchTokens, applyActivation, apply, prompt, promptName, longInputs);
    }

    /** These options with a prompt text before the first text of each pair (replacing any prompt name). */
    public PredictOptions withPrompt(String text) {
        return new PredictOptions(batchSize, maxBatchTokens, applyActivation, applySoftmax, text, null, longInputs);
    }

    /** These options with one of the model's prompts, by name (replacing any prompt text). */
    public PredictOptions withPromptName(String name) {
        return new PredictOptions(batchSize, maxBatchTokens, applyActivation, applySoftmax, null, name, longInputs);
    }

    /** These options with another policy for long pairs. */
    public PredictOptions withLongInputs(LongInputs policy) {
        return new PredictOptions(batchSize, maxBatchTokens, applyActivation, applySoftmax, prompt, promptName, policy);
    }
}
