package dev.sentence4j;

import java.util.Optional;

/**
 * Choices for one {@code encode} call.
 *
 * @param batchSize texts per transformer run (default 32)
 * @param normalize {@code null} to follow the model's Normalize module, else force unit length on or off
 */
public record EncodeOptions(int batchSize, Boolean normalize) {
    /** The default batch size, as sentence-transformers. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    public EncodeOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
    }

    /** The defaults: batches of 32, normalized as the model says. */
    public static EncodeOptions defaults() {
        return new EncodeOptions(DEFAULT_BATCH_SIZE, null);
    }

    /** These options with another batch size. */
    public EncodeOptions withBatchSize(int size) {
        return new EncodeOptions(size, normalize);
    }

    /** These options with normalization forced on or off. */
    public EncodeOptions withNormalize(boolean on) {
        return new EncodeOptions(batchSize, on);
    }

    /** The normalization override, if any. */
    public Optional<Boolean> normalizeOverride() {
        return Optional.ofNullable(normalize);
    }
}
