package dev.sentence4j;

/** What {@code encode} does with a text longer than the model's maximum sequence length. */
public enum LongInputs {
    /** Keep the first tokens, as sentence-transformers does. */
    TRUNCATE,
    /** Refuse, naming the text and its token count. */
    ERROR,
    /** Embed overlapping windows of the text and average their vectors. */
    CHUNK
}
