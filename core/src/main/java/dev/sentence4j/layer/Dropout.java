package dev.sentence4j.layer;

import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.Features;

/**
 * The {@code Dropout} module: random zeroing while training, nothing at inference, where
 * sentence-transformers runs it in evaluation mode. Its {@code config.json} ({@code dropout}, the
 * training rate) is read only to check it. Immutable.
 */
public final class Dropout implements VectorLayer {
    private final double rate;

    private Dropout(double rate) {
        this.rate = rate;
    }

    /**
     * Reads a Dropout module.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file if {@code dropout} is not a rate in [0, 1]
     */
    public static Dropout read(ModuleFolder module) {
        double rate = module.configIfExists("config.json").flatMap(config -> config.field("dropout").map(value -> {
            if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
                throw config.error("dropout is " + value + "; it must be a rate from 0 to 1");
            }
            return value.asDouble();
        })).orElse(0.2);
        return new Dropout(rate);
    }

    /** The features unchanged, without copying: dropout is off at inference, and it runs on every batch. */
    @Override
    public Features apply(Features in) {
        return in;
    }

    /** The vector unchanged: dropout is off at inference. */
    @Override
    public float[] apply(float[] vector) {
        return vector.clone();
    }

    @Override
    public int outputDimension(int inputDimension) {
        return inputDimension;
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ", off at inference)";
    }
}
