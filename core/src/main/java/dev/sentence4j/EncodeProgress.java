package dev.sentence4j;

/**
 * Hears how far an {@code encode} call has come, for a progress display: told on the calling thread
 * after each step, which for a long text chunked into windows ({@link LongInputs#CHUNK}) is a group
 * of its windows.
 */
@FunctionalInterface
public interface EncodeProgress {
    /**
     * @param texts how many of the call's texts are encoded, with the done part of a text being chunked as a fraction
     * @param total how many texts the call has
     */
    void encoded(double texts, int total);
}
