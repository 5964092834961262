/**
 * A persistent vector index of texts for corpora too large to scan at every query: the texts' sentence
 * vectors in an Apache Lucene HNSW graph, each stored with its text and line number, in a folder that
 * also records which model made the vectors. {@link dev.sentence4j.index.VectorIndexBuilder} builds one,
 * {@link dev.sentence4j.index.VectorIndex} opens and searches it.
 */
package dev.sentence4j.index;
