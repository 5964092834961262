/**
 * Evaluation: how well a model's similarity scores agree with human judgements (STS benchmarks: Pearson
 * and Spearman correlation) and how well its search ranks relevant documents (information retrieval:
 * accuracy, precision, recall, MRR, NDCG and MAP at k), as sentence-transformers' evaluators compute them.
 */
package dev.sentence4j.evaluation;
