package dev.sentence4j;

import java.util.Objects;

/**
 * Choices for one {@link CrossEncoder} call; start from {@link #defaults()} and change what you need.
 * Immutable; a class rather than a record so that options can be added without breaking callers.
 * Options that contradict each other are refused when the second is set.
 */
public final class PredictOptions extends CallOptions<PredictOptions> {
    private static final PredictOptions DEFAULTS = new PredictOptions(
            RunOptions.defaults(EncodeOptions.DEFAULT_MAX_BATCH_TOKENS), true, false);

    private final boolean applyActivation;
    private final boolean applySoftmax;

    private PredictOptions(RunOptions run, boolean applyActivation, boolean applySoftmax) {
        super(run.requireNoChunking("a cross-encoder scores a pair as one input: long pairs can be truncated"
                + " or refused (TRUNCATE, ERROR), not chunked"));
        this.applyActivation = applyActivation;
        this.applySoftmax = applySoftmax;
    }

    /** The defaults: batches of 32, the model's activation, no softmax, its default prompt, long pairs truncated. */
    public static PredictOptions defaults() {
        return DEFAULTS;
    }

    /** Whether the model's activation is applied to the logits (default), or raw logits are given. */
    public boolean applyActivation() {
        return applyActivation;
    }

    /** Whether each pair's scores become a softmax over the labels, after the activation. */
    public boolean applySoftmax() {
        return applySoftmax;
    }

    /** These options applying the model's activation, or ({@code false}) giving raw logits. */
    public PredictOptions withApplyActivation(boolean apply) {
        return new PredictOptions(run, apply, applySoftmax);
    }

    /** These options with a softmax over each pair's labels, or without. */
    public PredictOptions withApplySoftmax(boolean apply) {
        return new PredictOptions(run, applyActivation, apply);
    }

    @Override
    PredictOptions with(RunOptions changed) {
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
