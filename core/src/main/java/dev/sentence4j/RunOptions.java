package dev.sentence4j;

/**
 * The choices every model family's call shares, checked in one place: how inputs are batched, which
 * prompt goes before them, and what happens to those longer than the model takes. Each family's
 * options class ({@link EncodeOptions}, {@link PredictOptions}, {@link SparseEncodeOptions}) holds one.
 *
 * @param prompt text prepended to every input, or {@code null}
 * @param promptName one of the model's prompts, or {@code null} for its default; never with a prompt
 * @param task the task whose route of a Router model runs ({@code query}, {@code document}), or {@code null}
 *     for the default route
 */
record RunOptions(int batchSize, int maxBatchTokens, String prompt, String promptName, LongInputs longInputs, String task) {
    RunOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("max batch tokens must be at least 1, got " + maxBatchTokens);
        }
        if (longInputs == null) {
            throw new IllegalArgumentException("long-input policy must be given");
        }
        if (prompt != null && promptName != null) {
            throw new IllegalArgumentException("a prompt ('" + prompt + "') and a prompt name ('" + promptName
                    + "') contradict each other: give one");
        }
    }

    /** The defaults: batches of 32 within the token budget, the model's default prompt, long inputs truncated. */
    static RunOptions defaults(int maxBatchTokens) {
        return new RunOptions(EncodeOptions.DEFAULT_BATCH_SIZE, maxBatchTokens, null, null, LongInputs.TRUNCATE, null);
    }

    /**
     * Refuses {@link LongInputs#CHUNK} for a family that runs each input whole.
     *
     * @param alternatives why, and what to use instead
     */
    RunOptions requireNoChunking(String alternatives) {
        if (longInputs == LongInputs.CHUNK) {
            throw new IllegalArgumentException(alternatives);
        }
        return this;
    }

    RunOptions withBatchSize(int size) {
        return new RunOptions(size, maxBatchTokens, prompt, promptName, longInputs, task);
    }

    RunOptions withMaxBatchTokens(int tokens) {
        return new RunOptions(batchSize, tokens, prompt, promptName, longInputs, task);
    }

    RunOptions withPrompt(String text) {
        return new RunOptions(batchSize, maxBatchTokens, text, promptName, longInputs, task);
    }

    RunOptions withPromptName(String name) {
        return new RunOptions(batchSize, maxBatchTokens, prompt, name, longInputs, task);
    }

    RunOptions withLongInputs(LongInputs policy) {
        return new RunOptions(batchSize, maxBatchTokens, prompt, promptName, policy, task);
    }

    RunOptions withTask(String name) {
        return new RunOptions(batchSize, maxBatchTokens, prompt, promptName, longInputs, name);
    }

    /** The fields as a record's {@code toString} lists them, for the options classes' own. */
    String fields() {
        return "batchSize=" + batchSize + ", maxBatchTokens=" + maxBatchTokens + ", prompt=" + prompt + ", promptName="
                + promptName + ", longInputs=" + longInputs + (task == null ? "" : ", task=" + task);
    }
}
