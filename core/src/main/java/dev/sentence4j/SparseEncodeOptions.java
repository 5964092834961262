package dev.sentence4j;

import java.util.Objects;

/**
 * Choices for one {@link SparseEncoder} call; start from {@link #defaults()} and change what you need.
 * Immutable; a class rather than a record so that options can be added without breaking callers.
 * Options that contradict each other are refused when the second is set.
 */
public final class SparseEncodeOptions {
    /**
     * The default token budget of one transformer run: a run's masked-LM logits take tokens × vocabulary
     * × 4 bytes, 250 MB for BERT's 30,522 entries.
     */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 2048;

    private static final SparseEncodeOptions DEFAULTS = new SparseEncodeOptions(RunOptions.defaults(DEFAULT_MAX_BATCH_TOKENS), 0);

    private final RunOptions run;
    private final int maxActiveDims;

    private SparseEncodeOptions(RunOptions run, int maxActiveDims) {
        if (maxActiveDims < 0) {
            throw new IllegalArgumentException("max active dims must be positive (or 0 for all), got " + maxActiveDims);
        }
        this.run = run.requireNoChunking("a sparse encoder's long texts can be truncated or refused (TRUNCATE, ERROR),"
                + " not chunked");
        this.maxActiveDims = maxActiveDims;
    }

    /** The defaults: batches of 32 within 2048 tokens, the model's default prompt, every entry, long texts truncated. */
    public static SparseEncodeOptions defaults() {
        return DEFAULTS;
    }

    /** The most texts per transformer run (default 32). */
    public int batchSize() {
        return run.batchSize();
    }

    /** The most tokens, padding included, per transformer run (default {@value #DEFAULT_MAX_BATCH_TOKENS}). */
    public int maxBatchTokens() {
        return run.maxBatchTokens();
    }

    /** Text prepended to every input, or {@code null}. */
    public String prompt() {
        return run.prompt();
    }

    /** The name of one of the model's prompts, or {@code null} for its default prompt (unless {@link #prompt()} is given). */
    public String promptName() {
        return run.promptName();
    }

    /**
     * Keep only this many entries of each vector, the largest by absolute value, as sentence-transformers'
     * {@code max_active_dims}; 0 to keep every non-zero entry.
     */
    public int maxActiveDims() {
        return maxActiveDims;
    }

    /**
     * What to do with texts longer than the model takes: {@link LongInputs#TRUNCATE} (as
     * sentence-transformers) or {@link LongInputs#ERROR}.
     */
    public LongInputs longInputs() {
        return run.longInputs();
    }

    /** These options with another batch size. */
    public SparseEncodeOptions withBatchSize(int size) {
        return with(run.withBatchSize(size));
    }

    /** These options with another token budget per transformer run. */
    public SparseEncodeOptions withMaxBatchTokens(int tokens) {
        return with(run.withMaxBatchTokens(tokens));
    }

    /**
     * These options with a prompt text prepended to every input, or {@code null} for none.
     *
     * @throws IllegalArgumentException if a prompt name is set too
     */
    public SparseEncodeOptions withPrompt(String text) {
        return with(run.withPrompt(text));
    }

    /**
     * These options with one of the model's prompts, by name, or {@code null} for its default.
     *
     * @throws IllegalArgumentException if a prompt text is set too
     */
    public SparseEncodeOptions withPromptName(String name) {
        return with(run.withPromptName(name));
    }

    /** These options keeping at most this many entries per vector (0: all). */
    public SparseEncodeOptions withMaxActiveDims(int entries) {
        return new SparseEncodeOptions(run, entries);
    }

    /**
     * These options with another policy for long texts.
     *
     * @throws IllegalArgumentException for {@link LongInputs#CHUNK}
     */
    public SparseEncodeOptions withLongInputs(LongInputs policy) {
        return with(run.withLongInputs(policy));
    }

    private SparseEncodeOptions with(RunOptions changed) {
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
