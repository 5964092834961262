package dev.sentence4j.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kind of model a folder holds, as {@code model_type} in {@code config_sentence_transformers.json}
 * says: each is loaded by its own class, which runs the folder's modules its own way.
 */
public enum ModelFamily {
    /** One vector per text. */
    SENTENCE_TRANSFORMER("SentenceTransformer"),
    /** A score per pair of texts. */
    CROSS_ENCODER("CrossEncoder"),
    /** One sparse vector over the vocabulary per text. */
    SPARSE_ENCODER("SparseEncoder"),
    /** One vector per token (ColBERT-style late interaction). */
    MULTI_VECTOR_ENCODER("MultiVectorEncoder");

    private final String modelType;

    ModelFamily(String modelType) {
        this.modelType = modelType;
    }

    /** The name {@code model_type} gives the family, which is also the Python class that loads it. */
    public String modelType() {
        return modelType;
    }

    /** The family a {@code model_type} names. */
    static Optional<ModelFamily> of(String modelType) {
        // PyLate 1.x to 3 wrote "ColBERT"; sentence-transformers 6 loads such folders as MultiVectorEncoders.
        if (modelType.equals("ColBERT")) {
            return Optional.of(MULTI_VECTOR_ENCODER);
        }
        return Arrays.stream(values()).filter(f -> f.modelType.equals(modelType)).findFirst();
    }
}
