package dev.sentence4j.layer;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModuleWeights;
import java.util.Locale;

/**
 * The {@code Dense} module: a fully connected layer {@code activation(W x + b)}, as PyTorch's
 * {@code nn.Linear} followed by an activation. Immutable.
 */
public final class Dense implements VectorLayer {
    private final int inFeatures;
    private final int outFeatures;
    private final float[] weight;
    private final float[] bias;
    private final Activation activation;

    /**
     * @param inFeatures input length
     * @param outFeatures output length
     * @param weight {@code [outFeatures, inFeatures]} row-major, as {@code nn.Linear.weight}
     * @param bias {@code [outFeatures]}, or {@code null} for none
     * @param activation applied to each output
     */
    public Dense(int inFeatures, int outFeatures, float[] weight, float[] bias, Activation activation) {
        if (weight.length != (long) inFeatures * outFeatures) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + outFeatures + " x "
                    + inFeatures);
        }
        if (bias != null && bias.length != outFeatures) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = weight.clone();
        this.bias = bias == null ? null : bias.clone();
        this.activation = activation;
    }

    /**
     * Reads a Dense module: {@code config.json} and its weights.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file and key or tensor that is missing or wrong
     */
    public static Dense read(ModuleFolder module) {
        ConfigFile config = module.config("config.json");
        int in = config.integer("in_features").orElseThrow(() -> config.error("field 'in_features' is missing"));
        int out = config.integer("out_features").orElseThrow(() -> config.error("field 'out_features' is missing"));
        boolean hasBias = config.bool("bias").orElse(true);
        Activation activation;
        try {
            activation = Activation.fromTorchClass(config.text("activation_function").orElse("Tanh"));
        } catch (IllegalArgumentException e) {
            throw config.error(e.getMessage());
        }
        ModuleWeights weights = module.weights();
        float[] weight = weights.get("linear.weight", out, in);
        float[] bias = hasBias ? weights.get("linear.bias", out) : null;
        return new Dense(in, out, weight, bias, activation);
    }

    @Override
    public float[] apply(float[] vector) {
        if (vector.length != inFeatures) {
            throw new IllegalArgumentException("Dense layer takes " + inFeatures + " values, got " + vector.length);
        }
        float[] out = new float[outFeatures];
        for (int o = 0; o < outFeatures; o++) {
            double sum = bias == null ? 0 : bias[o];
            int row = o * inFeatures;
            for (int i = 0; i < inFeatures; i++) {
                sum += (double) weight[row + i] * vector[i];
            }
            out[o] = (float) activation.apply(sum);
        }
        return out;
    }

    @Override
    public int outputDimension(int inputDimension) {
        return outFeatures;
    }

    /** The input length. */
    public int inFeatures() {
        return inFeatures;
    }

    @Override
    public String toString() {
        return "Dense(" + inFeatures + " -> " + outFeatures + ", " + activation.name().toLowerCase(Locale.ROOT)
                + (bias == null ? ", no bias" : "") + ")";
    }
}
