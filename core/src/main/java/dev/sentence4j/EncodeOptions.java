package dev.sentence4j;

import java.util.Objects;
import java.util.Optional;

/**
 * Choices for one {@code encode} call; start from {@link #defaults()} and change what you need.
 * Immutable; a class rather than a record so that options can be added without breaking callers.
 * Options that contradict each other are refused when the second is set.
 */
public final class EncodeOptions extends CallOptions<EncodeOptions> {
    /** The default batch size, as sentence-transformers. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** The default token budget of one transformer run. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 16384;
    /** The default overlap of chunk windows. */
    public static final int DEFAULT_CHUNK_STRIDE = 32;

    private static final EncodeOptions DEFAULTS = new EncodeOptions(RunOptions.defaults(DEFAULT_MAX_BATCH_TOKENS), null, 0,
            DEFAULT_CHUNK_STRIDE, null);

    private final Boolean normalize;
    private final int truncateDim;
    private final int chunkStride;
    private final EncodeProgress progress;

    private EncodeOptions(RunOptions run, Boolean normalize, int truncateDim, int chunkStride, EncodeProgress progress) {
        super(run);
        if (truncateDim < 0) {
            throw new IllegalArgumentException("truncate dim must be positive (or 0 for none), got " + truncateDim);
        }
        if (chunkStride < 0) {
            throw new IllegalArgumentException("chunk stride must not be negative, got " + chunkStride);
        }
        this.normalize = normalize;
        this.truncateDim = truncateDim;
        this.chunkStride = chunkStride;
        this.progress = progress;
    }

    /** The defaults: batches of 32, normalized as the model says, its default prompt, long texts truncated. */
    public static EncodeOptions defaults() {
        return DEFAULTS;
    }

    /** {@code null} to follow the model's Normalize module, else unit length forced on or off. */
    public Boolean normalize() {
        return normalize;
    }

    /** The normalization override, if any. */
    public Optional<Boolean> normalizeOverride() {
        return Optional.ofNullable(normalize);
    }

    /** Keep only the first this many dimensions (Matryoshka), or 0 to keep all. */
    public int truncateDim() {
        return truncateDim;
    }

    /** With {@link LongInputs#CHUNK}: the tokens that consecutive windows share. */
    public int chunkStride() {
        return chunkStride;
    }

    /** Who hears how far the call has come, or {@code null}. */
    public EncodeProgress progress() {
        return progress;
    }

    /** These options with normalization forced on or off. */
    public EncodeOptions withNormalize(boolean on) {
        return new EncodeOptions(run, on, truncateDim, chunkStride, progress);
    }

    /** These options keeping only the first {@code dimensions} of each vector. */
    public EncodeOptions withTruncateDim(int dimensions) {
        return new EncodeOptions(run, normalize, dimensions, chunkStride, progress);
    }

    /** These options with another overlap between chunk windows. */
    public EncodeOptions withChunkStride(int tokens) {
        return new EncodeOptions(run, normalize, truncateDim, tokens, progress);
    }

    /** These options telling {@code listener} how far the call has come, or no one for {@code null}. */
    public EncodeOptions withProgress(EncodeProgress listener) {
        return new EncodeOptions(run, normalize, truncateDim, chunkStride, listener);
    }

    @Override
    EncodeOptions with(RunOptions changed) {
        return new EncodeOptions(changed, normalize, truncateDim, chunkStride, progress);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodeOptions o && run.equals(o.run) && Objects.equals(normalize, o.normalize)
                && truncateDim == o.truncateDim && chunkStride == o.chunkStride && Objects.equals(progress, o.progress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, normalize, truncateDim, chunkStride, progress);
    }

    @Override
    public String toString() {
        return "EncodeOptions[" + run.fields() + ", normalize=" + normalize + ", truncateDim=" + truncateDim + ", chunkStride="
                + chunkStride + (progress != null ? ", with progress" : "") + "]";
    }
}
