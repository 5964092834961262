package dev.sentence4j.tokenize;

import java.util.Arrays;

/**
 * A tokenized, padded batch: row-major {@code [batchSize, sequenceLength]} arrays, as a transformer
 * takes them. The arrays are shared, not copied: treat them as read-only.
 *
 * @param inputIds token ids, padding included
 * @param attentionMask 1 for a real token, 0 for padding
 * @param tokenTypeIds segment ids (all 0 for single texts)
 * @param batchSize number of texts
 * @param sequenceLength tokens per row: the longest text of the batch, special tokens included
 */
public record BatchEncoding(
        long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int batchSize, int sequenceLength) {

    public BatchEncoding {
        int cells = Math.multiplyExact(batchSize, sequenceLength);
        if (inputIds.length != cells || attentionMask.length != cells || tokenTypeIds.length != cells) {
            throw new IllegalArgumentException("arrays must hold batchSize * sequenceLength = " + cells + " values");
        }
    }

    /** The number of real (unpadded) tokens of one row, special tokens included. */
    public int tokenCount(int row) {
        int count = 0;
        for (int t = row * sequenceLength, end = t + sequenceLength; t < end; t++) {
            count += (int) attentionMask[t];
        }
        return count;
    }

    /** The token ids of one row without its padding (a copy). */
    public long[] inputIds(int row) {
        int from = row * sequenceLength;
        return Arrays.copyOfRange(inputIds, from, from + tokenCount(row));
    }
}
