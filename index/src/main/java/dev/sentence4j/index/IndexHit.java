package dev.sentence4j.index;

/**
 * One text found in an index.
 *
 * @param line the line number it was indexed with
 * @param text the text
 * @param score its similarity to the query, by the model's similarity function
 */
public record IndexHit(int line, String text, float score) {}
