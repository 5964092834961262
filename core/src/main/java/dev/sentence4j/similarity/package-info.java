/** Similarity: scores between sentence vectors (cosine, dot, negative euclidean or manhattan distance). */
package dev.sentence4j.similarity;
