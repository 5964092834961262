package dev.sentence4j;

/** A text (or a pair of texts) has more tokens than the model takes, and the long-input policy is {@link LongInputs#ERROR}. */
public final class TextTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int tokenCount;
    private final int maxSeqLength;

    TextTooLongException(int index, int tokenCount, int maxSeqLength) {
        this("text", index, tokenCount, maxSeqLength);
    }

    /** @param what how the message names one input ({@code text}, {@code pair}) */
    TextTooLongException(String what, int index, int tokenCount, int maxSeqLength) {
        super(what + " " + index + " has " + tokenCount + " tokens, more than the " + maxSeqLength
                + " the model takes (long inputs: ERROR)");
        this.index = index;
        this.tokenCount = tokenCount;
        this.maxSeqLength = maxSeqLength;
    }

    /** The text's (or pair's) position in the list given to {@code encode} (or {@code predict}). */
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
