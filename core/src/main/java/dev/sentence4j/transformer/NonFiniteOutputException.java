package dev.sentence4j.transformer;

/**
 * A graph's output held NaN or infinity for one text of a batch: thrown rather than let the value leave
 * as a vector or score. {@link Transformer} adds which text it was.
 */
final class NonFiniteOutputException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int row;

    /**
     * @param row the text's row in the batch
     * @param token the token's position in the row, or -1 for an output of one row per text
     */
    NonFiniteOutputException(String source, String output, float value, int row, int token) {
        super(source + ": output '" + output + "' is " + value + (token >= 0 ? " at token " + token : "")
                + "; the model overflowed on this text, or its weights are damaged");
        this.row = row;
    }

    private NonFiniteOutputException(String message, int row, Throwable cause) {
        super(message, cause);
        this.row = row;
    }

    /** The same failure, saying which text it was. */
    NonFiniteOutputException naming(String text) {
        return new NonFiniteOutputException(getMessage().replaceFirst("; the model overflowed on this text",
                " for the text '" + text + "'; the model overflowed on it"), row, this);
    }

    int row() {
        return row;
    }
}
