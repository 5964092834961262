package dev.sentence4j;

/**
 * Choices for one {@link SparseEncoder} call; start from {@link #defaults()} and change what you need.
 *
 * @param batchSize the most texts per transformer run (default 32)
 * @param maxBatchTokens the most tokens, padding included, per transformer run (default 2048: a run's
 *     masked-LM logits take tokens × vocabulary × 4 bytes, 250 MB for BERT's 30,522 entries)
 * @param prompt text prepended to every input, or {@code null}
 * @param promptName the name of one of the model's prompts, or {@code null} for its default prompt
 * @param maxActiveDims keep only this many entries of each vector, the largest by absolute value, as
 *     sentence-transformers' {@code max_active_dims}; 0 to keep every non-zero entry
 * @param longInputs what to do with texts longer than the model takes: {@link LongInputs#TRUNCATE} (as
 *     sentence-transformers) or {@link LongInputs#ERROR}
 */
public record SparseEncodeOptions(
        int batchSize,
        int maxBatchTokens,
        String prompt,
        String promptName,
        int maxActiveDims,
        LongInputs longInputs) {

    /** The default token budget of one transformer run. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 2048;

    public SparseEncodeOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("max batch tokens must be at least 1, got " + maxBatchTokens);
        }
        if (maxActiveDims < 0) {
            throw new IllegalArgumentException("max active dims must be positive (or 0 for all), got " + maxActiveDims);
        }
        if (longInputs == null) {
            throw new IllegalArgumentException("long-input policy must be given");
        }
        if (longInputs == LongInputs.CHUNK) {
            throw new IllegalArgumentException("a sparse encoder's long texts can be truncated or refused (TRUNCATE, ERROR),"
                    + " not chunked");
        }
    }

    /** The defaults: batches of 32 within 2048 tokens, the model's default prompt, every entry, long texts truncated. */
    public static SparseEncodeOptions defaults() {
        return new SparseEncodeOptions(EncodeOptions.DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_TOKENS, null, null, 0,
                LongInputs.TRUNCATE);
    }

    /** These options with another batch size. */
    public SparseEncodeOptions withBatchSize(int size) {
        return new SparseEncodeOptions(size, maxBatchTokens, prompt, promptName, maxActiveDims, longInputs);
    }

    /** These options with another token budget per transformer run. */
    public SparseEncodeOptions withMaxBatchTokens(int tokens) {
        return new SparseEncodeOptions(batchSize, tokens, prompt, promptName, maxActiveDims, longInputs);
    }

    /** These options with a prompt text prepended to every input (replacing any prompt name). */
    public SparseEncodeOptions withPrompt(String text) {
        return new SparseEncodeOptions(batchSize, maxBatchTokens, text, null, maxActiveDims, longInputs);
    }

    /** These options with one of the model's prompts, by name (replacing any prompt text). */
    public SparseEncodeOptions withPromptName(String name) {
        return new SparseEncodeOptions(batchSize, maxBatchTokens, null, name, maxActiveDims, longInputs);
    }

    /** These options keeping at most this many entries per vector (0: all). */
    public SparseEncodeOptions withMaxActiveDims(int entries) {
        return new SparseEncodeOptions(batchSize, maxBatchTokens, prompt, promptName, entries, longInputs);
    }

    /** These options with another policy for long texts. */
    public SparseEncodeOptions withLongInputs(LongInputs policy) {
        return new SparseEncodeOptions(batchSize, maxBatchTokens, prompt, promptName, maxActiveDims, policy);
    }
}
