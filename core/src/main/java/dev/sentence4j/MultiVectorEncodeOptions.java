package dev.sentence4j;

import java.util.Objects;

/**
 * Choices for one {@link MultiVectorEncoder} call; start from {@link #defaults()} and change what you
 * need. Immutable; a class rather than a record so that options can be added without breaking callers.
 * Options that contradict each other are refused when the second is set.
 */
public final class MultiVectorEncodeOptions {
    /**
     * The default token budget of one transformer run, as for {@link EncodeOptions}: a run's token
     * embeddings and their projections are held together.
     */
    public static final int DEFAULT_MAX_BATCH_TOKENS = EncodeOptions.DEFAULT_MAX_BATCH_TOKENS;

    private static final MultiVectorEncodeOptions DEFAULTS =
            new MultiVectorEncodeOptions(RunOptions.defaults(DEFAULT_MAX_BATCH_TOKENS), false, null);

    private final RunOptions run;
    private final boolean normalize;
    private final EncodeProgress progress;

    private MultiVectorEncodeOptions(RunOptions run, boolean normalize, EncodeProgress progress) {
        this.run = run.requireNoChunking("a multi-vector model gives one vector per token of the text it runs: long texts "
                + "can be truncated to the model's query or document length, or refused (TRUNCATE, ERROR), not chunked");
        this.normalize = normalize;
        this.progress = progress;
    }

    /** The defaults: batches of 32 within the token budget, the role's prompt, vectors as the model makes them, long texts truncated. */
    public static MultiVectorEncodeOptions defaults() {
        return DEFAULTS;
    }

    /** The most texts per transformer run (default 32). */
    public int batchSize() {
        return run.batchSize();
    }

    /** The most tokens, padding and query expansion included, per transformer run. */
    public int maxBatchTokens() {
        return run.maxBatchTokens();
    }

    /** Text prepended to every input instead of the role's prompt, or {@code null}. */
    public String prompt() {
        return run.prompt();
    }

    /** The name of one of the model's prompts instead of the role's, or {@code null}. */
    public String promptName() {
        return run.promptName();
    }

    /**
     * What to do with texts longer than the model's query or document length: {@link LongInputs#TRUNCATE}
     * (as sentence-transformers) or {@link LongInputs#ERROR}.
     */
    public LongInputs longInputs() {
        return run.longInputs();
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

    /** These options with another batch size. */
    public MultiVectorEncodeOptions withBatchSize(int size) {
        return with(run.withBatchSize(size));
    }

    /** These options with another token budget per transformer run. */
    public MultiVectorEncodeOptions withMaxBatchTokens(int tokens) {
        return with(run.withMaxBatchTokens(tokens));
    }

    /**
     * These options with a prompt text prepended to every input, or {@code null} for the role's.
     *
     * @throws IllegalArgumentException if a prompt name is set too
     */
    public MultiVectorEncodeOptions withPrompt(String text) {
        return with(run.withPrompt(text));
    }

    /**
     * These options with one of the model's prompts, by name, or {@code null} for the role's.
     *
     * @throws IllegalArgumentException if a prompt text is set too
     */
    public MultiVectorEncodeOptions withPromptName(String name) {
        return with(run.withPromptName(name));
    }

    /**
     * These options with another policy for long texts.
     *
     * @throws IllegalArgumentException for {@link LongInputs#CHUNK}
     */
    public MultiVectorEncodeOptions withLongInputs(LongInputs policy) {
        return with(run.withLongInputs(policy));
    }

    /** These options scaling each token vector to length 1, or not (the model's own modules decide). */
    public MultiVectorEncodeOptions withNormalize(boolean on) {
        return new MultiVectorEncodeOptions(run, on, progress);
    }

    /** These options telling {@code progress} how far each call has come ({@code null}: nobody). */
    public MultiVectorEncodeOptions withProgress(EncodeProgress listener) {
        return new MultiVectorEncodeOptions(run, normalize, listener);
    }

    private MultiVectorEncodeOptions with(RunOptions changed) {
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
