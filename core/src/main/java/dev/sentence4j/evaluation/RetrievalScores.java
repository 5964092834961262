package dev.sentence4j.evaluation;

/**
 * Retrieval quality at one cutoff {@code k}, each a mean over the queries, as sentence-transformers'
 * {@code InformationRetrievalEvaluator} defines them.
 *
 * @param accuracy the share of queries with a relevant document in their top k
 * @param precision the share of the top k that is relevant
 * @param recall the share of the relevant documents found in the top k
 * @param mrr the reciprocal rank of the first relevant document in the top k (0 if none)
 * @param ndcg the normalized discounted cumulative gain of the top k, relevance 1 or 0
 * @param map the mean of the precisions at each relevant document of the top k, divided by
 *     {@code min(k, relevant documents)}
 */
public record RetrievalScores(double accuracy, double precision, double recall, double mrr, double ndcg, double map) {}
