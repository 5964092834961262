package dev.sentence4j;

import java.util.Optional;

/**
 * Choices for one {@code encode} call; start from {@link #defaults()} and change what you need.
 *
 * @param batchSize the most texts per transformer run (default 32)
 * @param maxBatchTokens the most tokens, padding included, per transformer run, so long texts run in
 *     smaller batches (default 16384)
 * @param normalize {@code null} to follow the model's Normalize module, else unit length forced on or off
 * @param prompt text prepended to every input, or {@code null}
 * @param promptName the name of one of the model's prompts, or {@code null} for its default prompt
 * @param truncateDim keep only the first this many dimensions (Matryoshka), or 0 to keep all
 * @param longInputs what to do with texts longer than the model's maximum sequence length
 * @param chunkStride with {@link LongInputs#CHUNK}: tokens that consecutive windows share
 */
public record EncodeOptions(
        int batchSize,
        int maxBatchTokens,
        Boolean normalize,
        String prompt,
        String promptName,
        int truncateDim,
        LongInputs longInputs,
        int chunkStride) {

    /** The default batch size, as sentence-transformers. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** The default token budget of one transformer run. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 16384;
    /** The default overlap of chunk windows. */
    public static final int DEFAULT_CHUNK_STRIDE = 32;

    public EncodeOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("max batch tokens must be at least 1, got " + maxBatchTokens);
        }
        if (truncateDim < 0) {
            throw new IllegalArgumentException("truncate dim must be positive (or 0 for none), got " + truncateDim);
        }
        if (chunkStride < 0) {
            throw new IllegalArgumentException("chunk stride must not be negative, got " + chunkStride);
        }
        if (longInputs == null) {
            throw new IllegalArgumentException("long-input policy must be given");
        }
    }

    /** The defaults: batches of 32, normalized as the model says, its default prompt, long texts truncated. */
    public static EncodeOptions defaults() {
        return new EncodeOptions(DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_TOKENS, null, null, null, 0, LongInputs.TRUNCATE,
                DEFAULT_CHUNK_STRIDE);
    }

    /** These options with another batch size. */
    public EncodeOptions withBatchSize(int size) {
        return new EncodeOptions(size, maxBatchTokens, normalize, prompt, promptName, truncateDim, longInputs, chunkStride);
    }

    /** These options with another token budget per transformer run. */
    public EncodeOptions withMaxBatchTokens(int tokens) {
        return new EncodeOptions(batchSize, tokens, normalize, prompt, promptName, truncateDim, longInputs, chunkStride);
    }

    /** These options with normalization forced on or off. */
    public EncodeOptions withNormalize(boolean on) {
        return new EncodeOptions(batchSize, maxBatchTokens, on, prompt, promptName, truncateDim, longInputs, chunkStride);
    }

    /** These options with a prompt text prepended to every input (replacing any prompt name). */
    public EncodeOptions withPrompt(String text) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, text, null, truncateDim, longInputs, chunkStride);
    }

    /** These options with one of the model's prompts, by name (replacing any prompt text). */
    public EncodeOptions withPromptName(String name) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, null, name, truncateDim, longInputs, chunkStride);
    }

    /** These options keeping only the first {@code dimensions} of each vector. */
    public EncodeOptions withTruncateDim(int dimensions) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, promptName, dimensions, longInputs, chunkStride);
    }

    /** These options with another policy for long texts. */
    public EncodeOptions withLongInputs(LongInputs policy) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, promptName, truncateDim, policy, chunkStride);
    }

    /** These options with another overlap between chunk windows. */
    public EncodeOptions withChunkStride(int tokens) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, promptName, truncateDim, longInputs, tokens);
    }

    /** The normalization override, if any. */
    public Optional<Boolean> normalizeOverride() {
        return Optional.ofNullable(normalize);
    }
}
