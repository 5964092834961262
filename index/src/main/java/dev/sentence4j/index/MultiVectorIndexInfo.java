package dev.sentence4j.index;

import dev.sentence4j.ModelInfo;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.similarity.MultiVectorSimilarity;
import java.util.Locale;

/**
 * What a multi-vector index holds and which model made its token vectors, as recorded in its folder.
 *
 * @param model the model's name: a model id or a model folder's absolute path
 * @param onnxFile the graph the model ran (an ONNX file or the checkpoint it was built from), inside the model
 * @param dimension the length of each token vector
 * @param similarity how a query scores a text's tokens
 * @param count how many texts the index holds
 * @param tokens how many token vectors the index holds
 */
public record MultiVectorIndexInfo(String model, String onnxFile, int dimension, MultiVectorSimilarity similarity, int count,
        long tokens) {
    /** The facts of a model, for an index of {@code count} texts with {@code tokens} token vectors. */
    public static MultiVectorIndexInfo of(MultiVectorEncoder model, int count, long tokens) {
        ModelInfo info = model.describe();
        return new MultiVectorIndexInfo(info.name(), info.onnxFile().orElse(null), info.dimension(),
                model.similarityFunction(), count, tokens);
    }

    /** Whether token vectors of {@code model} can be compared with this index's. */
    public boolean madeBy(MultiVectorEncoder model) {
        return of(model, count, tokens).equals(this);
    }

    /** The model, its file, dimension and similarity function, for messages. */
    public String describeModel() {
        return String.format(Locale.ROOT, "%s (%s, %d dimensions per token, %s)", model, onnxFile, dimension, similarity.label());
    }
}
