package dev.sentence4j;

import java.util.Objects;

/**
 * Choices for one {@link CrossEncoder} call; start from {@link #defaults()} and change what you need.
 * Immutable; a class rather than a record so that options can be added without breaking callers.
 * Options that contradict each other are refused when the second is set.
 */
public final class PredictOptions {
    private static final PredictOptions DEFAULTS = new PredictOptions(
            RunOptions.defaults(EncodeOptions.DEFAULT_MAX_BATCH_TOKENS), true, false);

    private final RunOptions run;
    private final boolean applyActivation;
    private final boolean applySoftmax;

    private PredictOptions(RunOptions run, boolean applyActivation, boolean applySoftmax) {
        this.run = run.requireNoChunking("a cross-encoder scores a pair as one input: long pairs can be truncated"
                + " or refused (TRUNCATE, ERROR), not chunked");
        this.applyActivation = applyActivation;
        this.applySoftmax = applySoftmax;
    }

    /** The defaults: batches of 32, the model's activation, no softmax, its default prompt, long pairs truncated. */
    public static PredictOptions defaults() {
        return DEFAULTS;
    }

    /** The most pairs per transformer run (default 32). */
    public int batchSize() {
        return run.batchSize();
    }

    /** The most tokens, padding included, per transformer run (default 16384). */
    public int maxBatchTokens() {
        return run.maxBatchTokens();
    }

    /** Whether the model's activation is applied to the logits (default), or raw logits are given. */
    public boolean applyActivation() {
        return applyActivation;
    }

    /** Whether each pair's scores become a softmax over the labels, after the activation. */
    public boolean applySoftmax() {
        return applySoftmax;
    }

    /** Text prepended to the first text of every pair, or {@code null}. */
    public String prompt() {
        return run.prompt();
    }

    /** The name of one of the model's prompts, or {@code null} for its default prompt (unless {@link #prompt()} is given). */
    public String promptName() {
        return run.promptName();
    }

    /**
     * What to do with pairs longer than the model takes: {@link LongInputs#TRUNCATE} (the longer text
     * loses tokens first, as sentence-transformers) or {@link LongInputs#ERROR}.
     */
    public LongInputs longInputs() {
        return run.longInputs();
    }

    /** These options with another batch size. */
    public PredictOptions withBatchSize(int size) {
        return with(run.withBatchSize(size));
    }

    /** These options with another token budget per transformer run. */
    public PredictOptions withMaxBatchTokens(int tokens) {
        return with(run.withMaxBatchTokens(tokens));
    }

    /** These options applying the model's activation, or ({@code false}) giving raw logits. */
    public PredictOptions withApplyActivation(boolean apply) {
        return new PredictOptions(run, apply, applySoftmax);
    }

    /** These options with a softmax over each pair's labels, or without. */
    public PredictOptions withApplySoftmax(boolean apply) {
        return new PredictOptions(run, applyActivation, apply);
    }

    /**
     * These options with a prompt text before the first text of each pair, or {@code null} for none.
     *
     * @throws IllegalArgumentException if a prompt name is set too
     */
    public PredictOptions withPrompt(String text) {
        return with(run.withPrompt(text));
    }

    /**
     * These options with one of the model's prompts, by name, or {@code null} for its default.
     *
     * @throws IllegalArgumentException if a prompt text is set too
     */
    public PredictOptions withPromptName(String name) {
        return with(run.withPromptName(name));
    }

    /**
     * These options with another policy for long pairs.
     *
     * @throws IllegalArgumentException for {@link LongInputs#CHUNK}
     */
    public PredictOptions withLongInputs(LongInputs policy) {
        return with(run.withLongInputs(policy));
    }

    private PredictOptions with(RunOptions changed) {
        return new PredictOptions(changed, applyActivation, applySoftmax);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PredictOptions o && run.equals(o.run) && applyActivation == o.applyActivation
                && applySoftmax == o.applySoftmax;
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, applyActivation, applySoftmax);
    }

    @Override
    public String toString() {
        return "PredictOptions[" + run.fields() + ", applyActivation=" + applyActivation + ", applySoftmax=" + applySoftmax + "]";
    }
}
