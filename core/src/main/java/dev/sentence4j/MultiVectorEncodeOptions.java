package dev.sentence4j;

import java.util.Objects;

/**
 * Choices for one {@link MultiVectorEncoder} call; start from {@link #defaults()} and change what you
 * need. The shared choices ({@link CallOptions}) include the task: {@code query} or {@code document}
 * (the default), which picks the role's prompt, length, query expansion and mask. Immutable; a class
 * rather than a record so that options can be added without breaking callers. Options that contradict
 * each other are refused when the second is set.
 */
public final class MultiVectorEncodeOptions extends CallOptions<MultiVectorEncodeOptions> {
    /**
     * The default token budget of one transformer run, as for {@link EncodeOptions}: a run's token
     * embeddings and their projections are held together.
     */
    public static final int DEFAULT_MAX_BATCH_TOKENS = EncodeOptions.DEFAULT_MAX_BATCH_TOKENS;

    private static final MultiVectorEncodeOptions DEFAULTS =
            new MultiVectorEncodeOptions(RunOptions.defaults(DEFAULT_MAX_BATCH_TOKENS), false, null);

    private final boolean normalize;
    private final EncodeProgress progress;

    private MultiVectorEncodeOptions(RunOptions run, boolean normalize, EncodeProgress progress) {
        super(run.requireNoChunking("a multi-vector model gives one vector per token of the text it runs: long texts "
                + "can be truncated to the model's query or document length, or refused (TRUNCATE, ERROR), not chunked"));
        this.normalize = normalize;
        this.progress = progress;
    }

    /** The defaults: batches of 32 within the token budget, the role's prompt, vectors as the model makes them, long texts truncated. */
    public static MultiVectorEncodeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Whether each token vector is scaled to length 1 after the model's modules, as
     * sentence-transformers' {@code normalize_embeddings=True}; a model ending in Normalize does so anyway.
     */
    public boolean normalize() {
        return normalize;
    }

    /** Who hears how far a call has come, or {@code null}. */
    public EncodeProgress progress() {
        return progress;
    }

    /** These options scaling each token vector to length 1, or not (the model's own modules decide). */
    public MultiVectorEncodeOptions withNormalize(boolean on) {
        return new MultiVectorEncodeOptions(run, on, progress);
    }

    /** These options telling {@code progress} how far each call has come ({@code null}: nobody). */
    public MultiVectorEncodeOptions withProgress(EncodeProgress listener) {
        return new MultiVectorEncodeOptions(run, normalize, listener);
    }

    @Override
    MultiVectorEncodeOptions with(RunOptions changed) {
        return new MultiVectorEncodeOptions(changed, normalize, progress);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MultiVectorEncodeOptions o && run.equals(o.run) && normalize == o.normalize
                && Objects.equals(progress, o.progress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, normalize, progress);
    }

    @Override
    public String toString() {
        return "MultiVectorEncodeOptions[" + run.fields() + ", normalize=" + normalize + "]";
    }
}
