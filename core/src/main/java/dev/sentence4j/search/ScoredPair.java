package dev.sentence4j.search;

/**
 * Two texts of one list and their similarity.
 *
 * @param first the lower index of the two
 * @param second the higher index of the two
 * @param score their similarity
 */
public record ScoredPair(int first, int second, float score) {}
