package dev.sentence4j.similarity;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How two sentence vectors are compared; higher always means more similar, so the distances are
 * negated. Named as in sentence-transformers' {@code similarity_fn_name}.
 */
public enum SimilarityFunction {
    /** Cosine of the angle between the vectors. */
    COSINE("cosine"),
    /** Dot product. */
    DOT("dot"),
    /** Negative euclidean distance. */
    EUCLIDEAN("euclidean"),
    /** Negative manhattan (L1) distance. */
    MANHATTAN("manhattan");

    private static final double EPSILON = 1e-12;

    private final String label;

    SimilarityFunction(String label) {
        this.label = label;
    }

    /** The name used in {@code config_sentence_transformers.json}. */
    public String label() {
        return label;
    }

    /**
     * The function a {@code similarity_fn_name} names ({@code "dot_product"} is an alias of dot).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static SimilarityFunction fromName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        if (wanted.equals("dot_product")) {
            return DOT;
        }
        return Arrays.stream(values()).filter(f -> f.label.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown similarity function '" + name + "'; known: "
                        + Arrays.stream(values()).map(f -> f.label).collect(Collectors.joining(", "))));
    }

    /** The score of one pair of vectors. */
    public float score(float[] a, float[] b) {
        requireSameLength(a, b);
        return (float) score(a, b, COSINE == this ? UnitLength.norm(a) : 0, COSINE == this ? UnitLength.norm(b) : 0);
    }

    /** Scores of every vector of {@code a} against every vector of {@code b}: {@code [a.length][b.length]}. */
    public float[][] matrix(float[][] a, float[][] b) {
        double[] normsA = norms(a);
        double[] normsB = norms(b);
        float[][] scores = new float[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                requireSameLength(a[i], b[j]);
                scores[i][j] = (float) score(a[i], b[j], normsA[i], normsB[j]);
            }
        }
        return scores;
    }

    /** Scores of {@code a[i]} against {@code b[i]} for each i. */
    public float[] pairwise(float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("pairwise scores need as many vectors on each side, got "
                    + a.length + " and " + b.length);
        }
        float[] scores = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            scores[i] = score(a[i], b[i]);
        }
        return scores;
    }

    private double[] norms(float[][] vectors) {
        double[] norms = new double[vectors.length];
        if (this == COSINE) {
            for (int i = 0; i < vectors.length; i++) {
                norms[i] = UnitLength.norm(vectors[i]);
            }
        }
        return norms;
    }

    private double score(float[] a, float[] b, double normA, double normB) {
        double sum = 0;
        switch (this) {
            case COSINE:
            case DOT:
                for (int i = 0; i < a.length; i++) {
                    sum += (double) a[i] * b[i];
                }
                return this == DOT ? sum : sum / (Math.max(normA, EPSILON) * Math.max(normB, EPSILON));
            case EUCLIDEAN:
                for (int i = 0; i < a.length; i++) {
                    double d = (double) a[i] - b[i];
                    sum += d * d;
                }
                return -Math.sqrt(sum);
            case MANHATTAN:
                for (int i = 0; i < a.length; i++) {
                    sum += Math.abs((double) a[i] - b[i]);
                }
                return -sum;
            default:
                throw new AssertionError(this);
        }
    }

    private static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors differ in length: " + a.length + " and " + b.length);
        }
    }
}
