package dev.sentence4j;

/** A text has more tokens than the model takes, and the long-input policy is {@link LongInputs#ERROR}. */
public final class TextTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int tokenCount;
    private final int maxSeqLength;

    TextTooLongException(int index, int tokenCount, int maxSeqLength) {
        super("text " + index + " has " + tokenCount + " tokens, more than the " + maxSeqLength
                + " the model takes (long inputs: ERROR)");
        this.index = index;
        this.tokenCount = tokenCount;
        this.maxSeqLength = maxSeqLength;
    }

    /** The text's position in the list given to {@code encode}. */
    public int index() {
        return index;
    }

    /** The tokens the whole text makes, special tokens included. */
    public int tokenCount() {
        return tokenCount;
    }

    /** The most tokens the model takes. */
    public int maxSeqLength() {
        return maxSeqLength;
    }
}
