package dev.sentence4j.index;

/**
 * A text to index.
 *
 * @param line where the text comes from, for example its line number in the corpus file
 * @param text the text
 */
public record IndexedText(int line, String text) {}
