package dev.sentence4j.spark;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.SentenceTransformer;
import java.io.Serializable;

/**
 * Everything a task needs to encode, fixed on the driver and shipped with the task: the model, the
 * {@code encode} options, and the output column.
 */
record EncodeSettings(ModelSpec model, int batchSize, Boolean normalize, String prompt, String promptName,
        int truncateDim, LongInputs longInputs, int chunkStride, VectorColumn column) implements Serializable {
    private static final long serialVersionUID = 1L;

    EncodeOptions encodeOptions() {
        EncodeOptions options = EncodeOptions.defaults().withBatchSize(batchSize).withTruncateDim(truncateDim)
                .withLongInputs(longInputs).withChunkStride(chunkStride);
        if (normalize != null) {
            options = options.withNormalize(normalize);
        }
        if (prompt != null) {
            options = options.withPrompt(prompt);
        }
        return promptName != null ? options.withPromptName(promptName) : options;
    }

    /** This JVM's shared copy of the model, loaded on first use, with threads sized to the executor. */
    SentenceTransformer loadedModel() {
        try {
            return ExecutorModels.get(model.threads() > 0 ? model : model.withThreads(TaskSlots.forThisExecutor()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot load the model " + model.describe() + ": " + e.getMessage(), e);
        }
    }
}
