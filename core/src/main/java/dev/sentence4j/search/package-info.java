/**
 * Search among sentence vectors, as sentence-transformers' {@code util} does it: exact top-k semantic
 * search, paraphrase mining within one list, and community detection (clusters of close texts). Every
 * operation scores a block of vectors at a time, so memory stays bounded however large the corpus.
 */
package dev.sentence4j.search;
