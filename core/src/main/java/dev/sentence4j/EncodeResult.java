package dev.sentence4j;

/**
 * Sentence vectors with what happened to each text on the way. The arrays are not copied.
 *
 * @param vectors one vector per text, in order
 * @param tokenCounts the tokens each whole text makes, special tokens (and any prompt) included
 * @param truncated whether each text was cut to the maximum sequence length
 */
public record EncodeResult(float[][] vectors, int[] tokenCounts, boolean[] truncated) {}
