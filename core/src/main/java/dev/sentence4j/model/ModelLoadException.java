package dev.sentence4j.model;

/**
 * A model could not be loaded: a file is missing, unreadable or says something sentence4j cannot
 * follow. The message names the file and the problem.
 */
public final class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names the file and what is wrong with it. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the failure that caused it. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
