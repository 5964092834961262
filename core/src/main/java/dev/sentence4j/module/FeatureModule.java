package dev.sentence4j.module;

/**
 * A module after the input module: reads one entry of the features and sets the next (pooling, Dense,
 * LayerNorm, Normalize, ...). Implementations are immutable and thread-safe.
 */
public interface FeatureModule extends Module {
    /** The features this module leaves for the next one. */
    Features apply(Features in);

    /** What it reads. */
    Feature reads();

    /** What it gives. */
    Feature gives();

    /** The width it expects of what it reads, or 0 for any. */
    int inputWidth();

    /** The config key that sets {@link #inputWidth()}, for messages ({@code in_features}). */
    String inputWidthKey();

    /** The width it gives for inputs of {@code width}. */
    int outputWidth(int width);

    /** Whether it scales vectors to unit length, which a caller may ask to skip. */
    default boolean normalizes() {
        return false;
    }
}
