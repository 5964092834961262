package dev.sentence4j.index;

import dev.sentence4j.similarity.SimilarityFunction;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * A model's similarity function as Lucene scores it, and back: Lucene's scores are positive
 * rewritings of the model's, in the same order, which {@link #modelScore} undoes.
 */
enum LuceneSimilarity {
    /** Lucene's cosine: {@code (1 + cos) / 2}. */
    COSINE(VectorSimilarityFunction.COSINE),
    /**
     * Lucene's maximum inner product, {@code 1 + dot} or {@code 1 / (1 - dot)} below zero; unlike its
     * {@code DOT_PRODUCT}, it does not require vectors of length 1.
     */
    DOT(VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT),
    /** Lucene's euclidean: {@code 1 / (1 + distance²)}. */
    EUCLIDEAN(VectorSimilarityFunction.EUCLIDEAN);

    private final VectorSimilarityFunction lucene;

    LuceneSimilarity(VectorSimilarityFunction lucene) {
        this.lucene = lucene;
    }

    /**
     * The Lucene scoring for a model's similarity function.
     *
     * @throws IndexException for manhattan distance, which Lucene's HNSW graphs do not offer
     */
    static LuceneSimilarity of(SimilarityFunction function) {
        switch (function) {
            case COSINE:
                return COSINE;
            case DOT:
                return DOT;
            case EUCLIDEAN:
                return EUCLIDEAN;
            default:
                throw new IndexException("the model compares vectors by " + function.label()
                        + " distance, which Lucene's HNSW index does not support (it supports cosine, dot and "
                        + "euclidean); search such a model's vectors exactly instead");
        }
    }

    VectorSimilarityFunction lucene() {
        return lucene;
    }

    /** The model's similarity for a Lucene score. */
    float modelScore(float luceneScore) {
        switch (this) {
            case COSINE:
                return 2 * luceneScore - 1;
            case DOT:
                return luceneScore >= 1 ? luceneScore - 1 : 1 - 1 / luceneScore;
            case EUCLIDEAN:
                return (float) -Math.sqrt(Math.max(0, 1 / (double) luceneScore - 1));
            default:
                throw new AssertionError(this);
        }
    }
}
