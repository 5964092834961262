package dev.sentence4j.evaluation;

/**
 * How well one kind of similarity score agrees with the human judgements of an STS benchmark.
 *
 * @param pearson Pearson's linear correlation with the gold scores
 * @param spearman Spearman's rank correlation with the gold scores (ties given their average rank)
 */
public record StsScore(double pearson, double spearman) {}
