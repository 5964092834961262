package dev.sentence4j.similarity;

import java.util.Arrays;
import java.util.List;

/**
 * The MaxSim kernel: for one query against one document, the sum over query tokens of the largest dot
 * product with any document token. Written so that HotSpot's auto-vectorizer turns the inner loop into
 * SIMD code on Java 17: the document is copied dimension-major ({@code [dim][tokens]}, one array per
 * dimension, so that the compiler can prove the loop's loads and stores independent), and four query
 * tokens at a time add {@code q[i][k] * d[k][t]} into four rows of scores, so each document value loaded
 * serves four multiply-adds. One instance per thread: it owns its scratch arrays.
 */
final class MaxSim {
    /**
     * A document with no token to score: sentence-transformers' {@code _EMPTY_DOCUMENT_SCORE}, which ranks it
     * below every real document.
     */
    static final float EMPTY_DOCUMENT = -1e9f;

    private float[][] transposed = new float[0][];
    private float[] s0 = new float[0];
    private float[] s1 = s0;
    private float[] s2 = s0;
    private float[] s3 = s0;

    /** Scores of every query against every document: {@code [queries][documents]}. */
    float[][] matrix(List<float[][]> queries, List<float[][]> documents) {
        int dimension = dimension(queries, documents);
        float[][] flatQueries = new float[queries.size()][];
        for (int i = 0; i < flatQueries.length; i++) {
            flatQueries[i] = flatten(queries.get(i), dimension, "query " + i);
        }
        float[][] scores = new float[queries.size()][documents.size()];
        for (int j = 0; j < documents.size(); j++) {
            float[][] document = documents.get(j);
            int tokens = load(document, dimension, j);
            for (int i = 0; i < flatQueries.length; i++) {
                scores[i][j] = tokens == 0 ? EMPTY_DOCUMENT : score(flatQueries[i], dimension, tokens);
            }
        }
        return scores;
    }

    /** The dimension every token vector must have: the first one found. */
    private static int dimension(List<float[][]> queries, List<float[][]> documents) {
        for (List<float[][]> side : List.of(queries, documents)) {
            for (float[][] block : side) {
                if (block != null && block.length > 0) {
                    return block[0].length;
                }
            }
        }
        return 0;
    }

    /** A query's token vectors one after another: {@code [tokens * dimension]}. */
    static float[] flatten(float[][] block, int dimension, String what) {
        if (block == null) {
            throw new NullPointerException(what + " is null");
        }
        float[] flat = new float[block.length * dimension];
        for (int t = 0; t < block.length; t++) {
            requireDimension(block[t], dimension, what, t);
            System.arraycopy(block[t], 0, flat, t * dimension, dimension);
        }
        return flat;
    }

    private static void requireDimension(float[] vector, int dimension, String what, int token) {
        if (vector == null || vector.length != dimension) {
            throw new IllegalArgumentException(what + ", token " + token + ": expected a vector of " + dimension
                    + " values, got " + (vector == null ? "null" : vector.length + " values"));
        }
    }

    /** Copies a document dimension-major into the scratch arrays; returns its token count. */
    private int load(float[][] document, int dimension, int index) {
        if (document == null) {
            throw new NullPointerException("document " + index + " is null");
        }
        int tokens = document.length;
        if (transposed.length != dimension || s0.length < tokens) {
            int capacity = Math.max(tokens, s0.length);
            transposed = new float[dimension][capacity];
            s0 = new float[capacity];
            s1 = new float[capacity];
            s2 = new float[capacity];
            s3 = new float[capacity];
        }
        for (int t = 0; t < tokens; t++) {
            float[] vector = document[t];
            requireDimension(vector, dimension, "document " + index, t);
            for (int k = 0; k < dimension; k++) {
                transposed[k][t] = vector[k];
            }
        }
        return tokens;
    }

    /** MaxSim of a flattened query against the loaded document. */
    private float score(float[] query, int dimension, int tokens) {
        int queryTokens = dimension == 0 ? 0 : query.length / dimension;
        float total = 0;
        int i = 0;
        for (; i + 4 <= queryTokens; i += 4) {
            Arrays.fill(s0, 0, tokens, 0f);
            Arrays.fill(s1, 0, tokens, 0f);
            Arrays.fill(s2, 0, tokens, 0f);
            Arrays.fill(s3, 0, tokens, 0f);
            int q0 = i * dimension;
            for (int k = 0; k < dimension; k++) {
                addRows(transposed[k], tokens, query[q0 + k], query[q0 + dimension + k], query[q0 + 2 * dimension + k],
                        query[q0 + 3 * dimension + k]);
            }
            total += max(s0, tokens) + max(s1, tokens) + max(s2, tokens) + max(s3, tokens);
        }
        for (; i < queryTokens; i++) {
            Arrays.fill(s0, 0, tokens, 0f);
            int q0 = i * dimension;
            for (int k = 0; k < dimension; k++) {
                addRow(transposed[k], tokens, query[q0 + k]);
            }
            total += max(s0, tokens);
        }
        return total;
    }

    private void addRows(float[] values, int tokens, float a0, float a1, float a2, float a3) {
        float[] r0 = s0;
        float[] r1 = s1;
        float[] r2 = s2;
        float[] r3 = s3;
        for (int t = 0; t < tokens; t++) {
            float v = values[t];
            r0[t] += a0 * v;
            r1[t] += a1 * v;
            r2[t] += a2 * v;
            r3[t] += a3 * v;
        }
    }

    private void addRow(float[] values, int tokens, float a) {
        float[] r0 = s0;
        for (int t = 0; t < tokens; t++) {
            r0[t] += a * values[t];
        }
    }

    private static float max(float[] scores, int tokens) {
        float best = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < tokens; t++) {
            best = Math.max(best, scores[t]);
        }
        return best;
    }
}
