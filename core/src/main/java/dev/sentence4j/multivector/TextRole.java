package dev.sentence4j.multivector;

/**
 * What a text is to a multi-vector model, sentence-transformers' {@code task}: a query is expanded and
 * cut to the query length, a document cut to the document length and masked.
 */
public enum TextRole {
    QUERY("query"),
    DOCUMENT("document");

    private final String label;

    TextRole(String label) {
        this.label = label;
    }

    /** The name sentence-transformers gives the task ({@code query}, {@code document}). */
    public String label() {
        return label;
    }
}
