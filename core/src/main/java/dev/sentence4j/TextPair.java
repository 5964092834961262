package dev.sentence4j;

/**
 * Two texts a {@link CrossEncoder} scores together, such as a query and a document. Nulls are let in
 * here so that a call given a list can name the pair at fault.
 *
 * @param first the first text (the query, when reranking)
 * @param second the second text (the document)
 */
public record TextPair(String first, String second) {}
