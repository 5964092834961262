package dev.sentence4j.spark;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import java.io.Serializable;

/**
 * Which model an executor loads, and how: the key of {@link ExecutorModels}, so tasks asking for the
 * same model with the same load options share one.
 *
 * @param model a model id or folder, as the user gave it; resolved on the executor by {@link ModelLocation}
 * @param revision a Hub branch, tag or commit, or {@code null} for {@code main}
 * @param onnxFile the ONNX file inside the model, or {@code null} to pick one
 * @param quantized pick the model's int8 export
 * @param threads batches run at once on the executor, each on one core; 0 until resolved by {@link TaskSlots}
 */
record ModelSpec(String model, String revision, String onnxFile, boolean quantized, int threads) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** This spec with the thread count settled. */
    ModelSpec withThreads(int count) {
        return new ModelSpec(model, revision, onnxFile, quantized, count);
    }

    /** Loads the model this spec names, from where it lies on this machine. */
    SentenceTransformer load() {
        LoadOptions options = LoadOptions.defaults().withThreads(threads).withQuantized(quantized).withRevision(revision);
        if (onnxFile != null) {
            options = options.withOnnxFile(onnxFile);
        }
        return SentenceTransformer.load(ModelLocation.onThisMachine(model), options);
    }

    /** The model and the load options that differ from the defaults, for messages. */
    String describe() {
        StringBuilder text = new StringBuilder("'" + model + "'");
        if (revision != null) {
            text.append(" at revision ").append(revision);
        }
        if (onnxFile != null) {
            text.append(" (").append(onnxFile).append(')');
        } else if (quantized) {
            text.append(" (int8)");
        }
        return text.toString();
    }
}
