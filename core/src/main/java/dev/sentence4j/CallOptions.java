package dev.sentence4j;

/**
 * The choices every model family's call shares: batching, the prompt, long inputs, and the route of a
 * Router model. Each family's options ({@link EncodeOptions}, {@link PredictOptions},
 * {@link SparseEncodeOptions}) add their own; every {@code with} method returns that family's type.
 * Immutable.
 *
 * @param <O> the family's options type
 */
public abstract class CallOptions<O extends CallOptions<O>> {
    final RunOptions run;

    CallOptions(RunOptions run) {
        this.run = run;
    }

    /** These options with the shared choices changed. */
    abstract O with(RunOptions changed);

    /** The most inputs per run of the model (default 32). */
    public int batchSize() {
        return run.batchSize();
    }

    /** The most tokens, padding included, per run of the model, so long inputs run in smaller batches. */
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

    /** What to do with inputs longer than the model's maximum sequence length. */
    public LongInputs longInputs() {
        return run.longInputs();
    }

    /**
     * The task whose route a model with a Router takes ({@code query}, {@code document}), or {@code null}
     * for its default route; a model without a Router has one route for every task.
     */
    public String task() {
        return run.task();
    }

    /** These options with another batch size. */
    public O withBatchSize(int size) {
        return with(run.withBatchSize(size));
    }

    /** These options with another token budget per run of the model. */
    public O withMaxBatchTokens(int tokens) {
        return with(run.withMaxBatchTokens(tokens));
    }

    /**
     * These options with a prompt text prepended to every input, or {@code null} for none.
     *
     * @throws IllegalArgumentException if a prompt name is set too
     */
    public O withPrompt(String text) {
        return with(run.withPrompt(text));
    }

    /**
     * These options with one of the model's prompts, by name, or {@code null} for its default.
     *
     * @throws IllegalArgumentException if a prompt text is set too
     */
    public O withPromptName(String name) {
        return with(run.withPromptName(name));
    }

    /** These options with another policy for long inputs. */
    public O withLongInputs(LongInputs policy) {
        return with(run.withLongInputs(policy));
    }

    /**
     * These options taking the route of a task ({@code query}, {@code document}) in a model with a
     * Router, or {@code null} for its default route.
     */
    public O withTask(String task) {
        return with(run.withTask(task));
    }
}
