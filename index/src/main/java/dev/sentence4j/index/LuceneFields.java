package dev.sentence4j.index;

/** The names of the fields each indexed text's Lucene document holds. */
final class LuceneFields {
    static final String VECTOR = "vector";
    static final String TEXT = "text";
    static final String LINE = "line";

    private LuceneFields() {}
}
