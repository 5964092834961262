package dev.sentence4j;

import java.util.Objects;

/**
 * Choices for one {@link SparseEncoder} call; start from {@link #defaults()} and change what you need.
 * Immutable; a class rather than a record so that options can be added without breaking callers.
 * Options that contradict each other are refused when the second is set.
 */
public final class SparseEncodeOptions extends CallOptions<SparseEncodeOptions> {
    /**
     * The default token budget of one transformer run: a run's masked-LM logits take tokens × vocabulary
     * × 4 bytes, 250 MB for BERT's 30,522 entries.
     */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 2048;

    private static final SparseEncodeOptions DEFAULTS = new SparseEncodeOptions(RunOptions.defaults(DEFAULT_MAX_BATCH_TOKENS), 0);

    private final int maxActiveDims;

    private SparseEncodeOptions(RunOptions run, int maxActiveDims) {
        super(run.requireNoChunking("a sparse encoder's long texts can be truncated or refused (TRUNCATE, ERROR),"
                + " not chunked"));
        if (maxActiveDims < 0) {
            throw new IllegalArgumentException("max active dims must be positive (or 0 for all), got " + maxActiveDims);
        }
        this.maxActiveDims = maxActiveDims;
    }

    /** The defaults: batches of 32 within 2048 tokens, the model's default prompt, every entry, long texts truncated. */
    public static SparseEncodeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Keep only this many entries of each vector, the largest by absolute value, as sentence-transformers'
     * {@code max_active_dims}; 0 to keep every non-zero entry.
     */
    public int maxActiveDims() {
        return maxActiveDims;
    }

    /** These options keeping at most this many entries per vector (0: all). */
    public SparseEncodeOptions withMaxActiveDims(int entries) {
        return new SparseEncodeOptions(run, entries);
    }

    @Override
    SparseEncodeOptions with(RunOptions changed) {
        return new SparseEncodeOptions(changed, maxActiveDims);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SparseEncodeOptions o && run.equals(o.run) && maxActiveDims == o.maxActiveDims;
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, maxActiveDims);
    }

    @Override
    public String toString() {
        return "SparseEncodeOptions[" + run.fields() + ", maxActiveDims=" + maxActiveDims + "]";
    }
}
