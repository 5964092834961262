package dev.sentence4j.hub;

/**
 * A Hub repository or file could not be had: not found, private, not cached while offline, the network
 * down, or a download that failed its checks. The message says which repository, revision and file,
 * and what to do.
 */
public final class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the repository, the file and the problem. */
    public HubException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the failure that caused it. */
    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
