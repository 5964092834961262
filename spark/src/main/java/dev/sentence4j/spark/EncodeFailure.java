package dev.sentence4j.spark;

/** A task could not encode its rows: the message names the partition and the row offset within it. */
final class EncodeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EncodeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
