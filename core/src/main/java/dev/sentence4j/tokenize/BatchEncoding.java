package dev.sentence4j.tokenize;

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

    /** The token ids of one row without its padding, on whichever side it is (a copy). */
    public long[] inputIds(int row) {
        long[] ids = new long[tokenCount(row)];
        int at = 0;
        for (int t = row * sequenceLength, end = t + sequenceLength; t < end; t++) {
            if (attentionMask[t] != 0) {
                ids[at++] = inputIds[t];
            }
        }
        return ids;
    }

    /**
     * Each token's position among its row's real tokens, counting from 0, whichever side the padding is
     * on; padding gets 1, as Hugging Face's generation code gives it. This is what a graph that declares
     * a {@code position_ids} input expects, where a left-padded row's positions must not count the padding.
     */
    public long[] positionIds() {
        long[] positions = new long[inputIds.length];
        for (int row = 0; row < batchSize; row++) {
            long position = 0;
            for (int t = row * sequenceLength, end = t + sequenceLength; t < end; t++) {
                positions[t] = attentionMask[t] != 0 ? position++ : 1;
            }
        }
        return positions;
    }
}
