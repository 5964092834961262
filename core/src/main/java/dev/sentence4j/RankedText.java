package dev.sentence4j;

/**
 * One document as {@link CrossEncoder#rank} ranks it.
 *
 * @param index the document's position in the list given to {@code rank}
 * @param score the cross-encoder's score of the query with it
 * @param text the document
 */
public record RankedText(int index, float score, String text) {}
