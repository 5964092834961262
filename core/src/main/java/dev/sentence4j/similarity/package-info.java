/**
 * Similarity: scores between sentence vectors (cosine, dot, negative euclidean or manhattan distance),
 * and between texts encoded as token vectors (MaxSim, MeanMaxSim).
 */
package dev.sentence4j.similarity;
