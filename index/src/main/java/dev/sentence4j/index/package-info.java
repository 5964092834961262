/**
 * A persistent vector index of texts for corpora too large to scan at every query: the texts' sentence
 * vectors in an Apache Lucene HNSW graph, each stored with its text and line number, in a folder that
 * also records which model made the vectors. {@link dev.sentence4j.index.VectorIndexBuilder} builds one,
 * {@link dev.sentence4j.index.VectorIndex} opens and searches it. A multi-vector (ColBERT) model's token
 * vectors go in an index of their own, one Lucene block per text ({@link dev.sentence4j.index.MultiVectorIndexBuilder},
 * {@link dev.sentence4j.index.MultiVectorIndex}), searched by token then scored exactly by MaxSim.
 */
package dev.sentence4j.index;
