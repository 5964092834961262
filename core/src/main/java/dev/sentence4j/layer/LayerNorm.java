package dev.sentence4j.layer;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModuleWeights;

/**
 * The {@code LayerNorm} module: each vector shifted to mean 0 and scaled to variance 1, then by a
 * learned weight and bias, as PyTorch's {@code nn.LayerNorm} (epsilon 1e-5). Immutable.
 */
public final class LayerNorm implements VectorLayer {
    private static final double EPSILON = 1e-5;

    private final float[] weight;
    private final float[] bias;

    /** @param weight and {@code bias}: one value per dimension */
    public LayerNorm(float[] weight, float[] bias) {
        if (weight.length != bias.length) {
            throw new IllegalArgumentException("weight and bias differ in length: " + weight.length + " and " + bias.length);
        }
        this.weight = weight.clone();
        this.bias = bias.clone();
    }

    /**
     * Reads a LayerNorm module: {@code config.json} and its weights.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file and key or tensor that is missing or wrong
     */
    public static LayerNorm read(ModuleFolder module) {
        ConfigFile config = module.config("config.json");
        int dimension = config.integer("dimension").orElseThrow(() -> config.error("field 'dimension' is missing"));
        ModuleWeights weights = module.weights();
        return new LayerNorm(weights.get("norm.weight", dimension), weights.get("norm.bias", dimension));
    }

    @Override
    public float[] apply(float[] vector) {
        if (vector.length != weight.length) {
            throw new IllegalArgumentException("LayerNorm takes " + weight.length + " values, got " + vector.length);
        }
        double mean = 0;
        for (float v : vector) {
            mean += v;
        }
        mean /= vector.length;
        double variance = 0;
        for (float v : vector) {
            variance += (v - mean) * (v - mean);
        }
        double scale = 1 / Math.sqrt(variance / vector.length + EPSILON);
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) ((vector[i] - mean) * scale * weight[i] + bias[i]);
        }
        return out;
    }

    @Override
    public int inputWidth() {
        return weight.length;
    }

    @Override
    public String inputWidthKey() {
        return "dimension";
    }

    @Override
    public int outputDimension(int inputDimension) {
        return weight.length;
    }

    @Override
    public String toString() {
        return "LayerNorm(" + weight.length + ")";
    }
}
