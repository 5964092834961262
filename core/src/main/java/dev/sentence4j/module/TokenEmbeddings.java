package dev.sentence4j.module;

import java.util.Arrays;

/**
 * The transformer's output for a batch: one vector per token, row-major
 * {@code [batchSize, sequenceLength, hiddenSize]}, with the attention mask that says which tokens are
 * real. The arrays are shared, not copied: treat them as read-only.
 *
 * @param values the token vectors
 * @param attentionMask {@code [batchSize, sequenceLength]}, 1 for a real token, 0 for padding
 * @param batchSize number of texts
 * @param sequenceLength tokens per row, padding included
 * @param hiddenSize numbers per token vector
 */
public record TokenEmbeddings(
        float[] values, long[] attentionMask, int batchSize, int sequenceLength, int hiddenSize) {

    public TokenEmbeddings {
        int tokens = Math.multiplyExact(batchSize, sequenceLength);
        if (attentionMask.length != tokens || values.length != Math.multiplyExact(tokens, hiddenSize)) {
            throw new IllegalArgumentException("values must be [" + batchSize + ", " + sequenceLength + ", "
                    + hiddenSize + "] and the mask [" + batchSize + ", " + sequenceLength + "]");
        }
    }

    /** Where the vector of token {@code token} of row {@code row} starts in {@link #values()}. */
    public int offset(int row, int token) {
        return (row * sequenceLength + token) * hiddenSize;
    }

    /** Whether a token is real rather than padding. */
    public boolean isReal(int row, int token) {
        return attentionMask[row * sequenceLength + token] != 0;
    }

    /** One token's vector (a copy). */
    public float[] vector(int row, int token) {
        int from = offset(row, token);
        return Arrays.copyOfRange(values, from, from + hiddenSize);
    }
}
