package dev.sentence4j.evaluation;

/**
 * One pair of a semantic textual similarity benchmark.
 *
 * @param sentence1 the first sentence
 * @param sentence2 the second sentence
 * @param score the human similarity judgement (0 to 5 in the STS benchmark)
 */
public record StsPair(String sentence1, String sentence2, double score) {}
