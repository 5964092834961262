package dev.sentence4j.index;

/** An index cannot be built, opened or searched; the message names the folder and what is wrong. */
public final class IndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexException(String message) {
        super(message);
    }

    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
