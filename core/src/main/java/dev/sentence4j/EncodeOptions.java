package dev.sentence4j;

import java.util.Objects;
import java.util.Optional;

/**
 * Choices for one {@code encode} call; start from {@link #defaults()} and change what you need.
 * Immutable; a class rather than a record so that options can be added without breaking callers.
 * Options that contradict each other are refused when the second is set.
 */
public final class EncodeOptions {
    /** The default batch size, as sentence-transformers. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** The default token budget of one transformer run. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 16384;
    /** The default overlap of chunk windows. */
    public static final int DEFAULT_CHUNK_STRIDE = 32;

    private static final EncodeOptions DEFAULTS = new EncodeOptions(DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_TOKENS, null, null,
            null, 0, LongInputs.TRUNCATE, DEFAULT_CHUNK_STRIDE, null);

    private final int batchSize;
    private final int maxBatchTokens;
    private final Boolean normalize;
    private final String prompt;
    private final String promptName;
    private final int truncateDim;
    private final LongInputs longInputs;
    private final int chunkStride;
    private final EncodeProgress progress;

    private EncodeOptions(int batchSize, int maxBatchTokens, Boolean normalize, String prompt, String promptName,
            int truncateDim, LongInputs longInputs, int chunkStride, EncodeProgress progress) {
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
        if (prompt != null && promptName != null) {
            throw new IllegalArgumentException("a prompt ('" + prompt + "') and a prompt name ('" + promptName
                    + "') contradict each other: give one");
        }
        this.batchSize = batchSize;
        this.maxBatchTokens = maxBatchTokens;
        this.normalize = normalize;
        this.prompt = prompt;
        this.promptName = promptName;
        this.truncateDim = truncateDim;
        this.longInputs = longInputs;
        this.chunkStride = chunkStride;
        this.progress = progress;
    }

    /** The defaults: batches of 32, normalized as the model says, its default prompt, long texts truncated. */
    public static EncodeOptions defaults() {
        return DEFAULTS;
    }

    /** The most texts per transformer run (default 32). */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The most tokens, padding included, per transformer run, so long texts run in smaller batches
     * (default 16384).
     */
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /** {@code null} to follow the model's Normalize module, else unit length forced on or off. */
    public Boolean normalize() {
        return normalize;
    }

    /** The normalization override, if any. */
    public Optional<Boolean> normalizeOverride() {
        return Optional.ofNullable(normalize);
    }

    /** Text prepended to every input, or {@code null}. */
    public String prompt() {
        return prompt;
    }

    /** The name of one of the model's prompts, or {@code null} for its default prompt (unless {@link #prompt()} is given). */
    public String promptName() {
        return promptName;
    }

    /** Keep only the first this many dimensions (Matryoshka), or 0 to keep all. */
    public int truncateDim() {
        return truncateDim;
    }

    /** What to do with texts longer than the model's maximum sequence length. */
    public LongInputs longInputs() {
        return longInputs;
    }

    /** With {@link LongInputs#CHUNK}: the tokens that consecutive windows share. */
    public int chunkStride() {
        return chunkStride;
    }

    /** Who hears how far the call has come, or {@code null}. */
    public EncodeProgress progress() {
        return progress;
    }

    /** These options with another batch size. */
    public EncodeOptions withBatchSize(int size) {
        return new EncodeOptions(size, maxBatchTokens, normalize, prompt, promptName, truncateDim, longInputs, chunkStride, progress);
    }

    /** These options with another token budget per transformer run. */
    public EncodeOptions withMaxBatchTokens(int tokens) {
        return new EncodeOptions(batchSize, tokens, normalize, prompt, promptName, truncateDim, longInputs, chunkStride, progress);
    }

    /** These options with normalization forced on or off. */
    public EncodeOptions withNormalize(boolean on) {
        return new EncodeOptions(batchSize, maxBatchTokens, on, prompt, promptName, truncateDim, longInputs, chunkStride, progress);
    }

    /**
     * These options with a prompt text prepended to every input, or {@code null} for none.
     *
     * @throws IllegalArgumentException if a prompt name is set too
     */
    public EncodeOptions withPrompt(String text) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, text, promptName, truncateDim, longInputs, chunkStride, progress);
    }

    /**
     * These options with one of the model's prompts, by name, or {@code null} for its default.
     *
     * @throws IllegalArgumentException if a prompt text is set too
     */
    public EncodeOptions withPromptName(String name) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, name, truncateDim, longInputs, chunkStride, progress);
    }

    /** These options keeping only the first {@code dimensions} of each vector. */
    public EncodeOptions withTruncateDim(int dimensions) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, promptName, dimensions, longInputs, chunkStride,
                progress);
    }

    /** These options with another policy for long texts. */
    public EncodeOptions withLongInputs(LongInputs policy) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, promptName, truncateDim, policy, chunkStride, progress);
    }

    /** These options with another overlap between chunk windows. */
    public EncodeOptions withChunkStride(int tokens) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, promptName, truncateDim, longInputs, tokens, progress);
    }

    /** These options telling {@code listener} how far the call has come, or no one for {@code null}. */
    public EncodeOptions withProgress(EncodeProgress listener) {
        return new EncodeOptions(batchSize, maxBatchTokens, normalize, prompt, promptName, truncateDim, longInputs, chunkStride,
                listener);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodeOptions o && batchSize == o.batchSize && maxBatchTokens == o.maxBatchTokens
                && Objects.equals(normalize, o.normalize) && Objects.equals(prompt, o.prompt)
                && Objects.equals(promptName, o.promptName) && truncateDim == o.truncateDim && longInputs == o.longInputs
                && chunkStride == o.chunkStride && Objects.equals(progress, o.progress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchSize, maxBatchTokens, normalize, prompt, promptName, truncateDim, longInputs, chunkStride, progress);
    }

    @Override
    public String toString() {
        return "EncodeOptions[batchSize=" + batchSize + ", maxBatchTokens=" + maxBatchTokens + ", normalize=" + normalize
                + ", prompt=" + prompt + ", promptName=" + promptName + ", truncateDim=" + truncateDim + ", longInputs="
                + longInputs + ", chunkStride=" + chunkStride + (progress != null ? ", with progress" : "") + "]";
    }
}
