package dev.sentence4j.index;

import dev.sentence4j.ModelInfo;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Locale;

/**
 * What an index holds and which model made its vectors, as recorded in its folder: a query must be
 * encoded by the same model for its scores to mean anything.
 *
 * @param model the model's name: a built-in model id or a model folder's absolute path
 * @param onnxFile the ONNX file the model ran, as a path inside the model, or {@code null} for a model without one
 * @param dimension the length of the vectors
 * @param similarity the model's similarity function, which the index's scores follow
 * @param count how many texts the index holds
 */
public record IndexInfo(String model, String onnxFile, int dimension, SimilarityFunction similarity, int count) {

    /** The facts of a model, for an index of {@code count} of its vectors. */
    public static IndexInfo of(SentenceTransformer model, int count) {
        ModelInfo info = model.describe();
        return new IndexInfo(info.name(), info.onnxFile().orElse(null), info.dimension(), info.similarity(), count);
    }

    /** Whether vectors of {@code model} can be compared with this index's. */
    public boolean madeBy(SentenceTransformer model) {
        return of(model, count).equals(this);
    }

    /** The model, its file, dimension and similarity function, for messages. */
    public String describeModel() {
        return String.format(Locale.ROOT, "%s (%s, %d dimensions, %s)", model,
                onnxFile == null ? "static token table" : onnxFile, dimension, similarity.label());
    }
}
