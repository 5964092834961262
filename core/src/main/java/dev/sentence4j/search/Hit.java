package dev.sentence4j.search;

/**
 * One search result.
 *
 * @param corpusIndex the position of the found vector in the corpus
 * @param score its similarity to the query, by the search's similarity function
 */
public record Hit(int corpusIndex, float score) {}
