package dev.sentence4j.cli;

/**
 * A text a query found.
 *
 * @param line its line in the corpus file
 * @param text the text
 * @param score its similarity to the query
 */
record Match(int line, String text, float score) {}
