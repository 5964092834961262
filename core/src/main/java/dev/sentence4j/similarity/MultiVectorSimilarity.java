package dev.sentence4j.similarity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How two texts encoded as token vectors ({@code [tokens][dim]} blocks, from a multi-vector model such as
 * ColBERT) are compared: late interaction. Named as sentence-transformers' {@code MultiVectorEncoder}
 * names them in {@code similarity_fn_name}.
 *
 * <p>A document without any token vector (its every token masked) scores {@value #EMPTY_DOCUMENT_SCORE},
 * below every real document, as sentence-transformers scores it; an empty query scores 0.
 */
public enum MultiVectorSimilarity {
    /** The sum over query tokens of each one's largest dot product with any document token. */
    MAXSIM("maxsim"),
    /** MaxSim divided by the query's token count, so that scores of queries of different lengths compare. */
    MEAN_MAXSIM("meanmaxsim");

    /** What a document without token vectors scores (before MeanMaxSim's division). */
    public static final float EMPTY_DOCUMENT_SCORE = MaxSim.EMPTY_DOCUMENT;

    private final String label;

    MultiVectorSimilarity(String label) {
        this.label = label;
    }

    /** The name used in {@code config_sentence_transformers.json}. */
    public String label() {
        return label;
    }

    /**
     * The function a {@code similarity_fn_name} names.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static MultiVectorSimilarity fromName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.label.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown multi-vector similarity function '" + name
                        + "'; known: " + Arrays.stream(values()).map(f -> f.label).collect(Collectors.joining(", "))));
    }

    /**
     * The score of one query against one document.
     *
     * @throws IllegalArgumentException if the token vectors differ in length
     */
    public float score(float[][] query, float[][] document) {
        return matrix(List.<float[][]>of(query), List.<float[][]>of(document))[0][0];
    }

    /**
     * Scores of every query against every document: {@code [queries][documents]}. Each document is scored
     * against all queries while it is at hand, so a corpus is read once.
     *
     * @throws IllegalArgumentException naming the query or document and token whose vector differs in length
     * @throws NullPointerException naming a null query or document
     */
    public float[][] matrix(List<float[][]> queries, List<float[][]> documents) {
        float[][] scores = new MaxSim().matrix(queries, documents);
        if (this == MEAN_MAXSIM) {
            for (int i = 0; i < scores.length; i++) {
                // As sentence-transformers: an empty query divides by 1.
                int tokens = Math.max(1, queries.get(i).length);
                for (int j = 0; j < scores[i].length; j++) {
                    scores[i][j] /= tokens;
                }
            }
        }
        return scores;
    }
}
