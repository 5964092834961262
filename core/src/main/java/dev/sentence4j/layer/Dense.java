package dev.sentence4j.layer;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModuleWeights;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code Dense} module: a fully connected layer {@code activation(W x + b)}, as PyTorch's
 * {@code nn.Linear} followed by an activation, optionally plus the input itself (or its projection,
 * when the sizes differ). Immutable.
 */
public final class Dense implements VectorLayer {
    private static final System.Logger LOG = System.getLogger(Dense.class.getName());
    private static final String DEFAULT_ACTIVATION = "torch.nn.modules.activation.Tanh";

    private final int inFeatures;
    private final int outFeatures;
    private final float[] weight;
    private final float[] bias;
    private final Activation activation;
    private final boolean residual;
    /** {@code [outFeatures, inFeatures]} projecting the residual when the sizes differ, else {@code null}. */
    private final float[] residualWeight;

    /**
     * @param inFeatures input length
     * @param outFeatures output length
     * @param weight {@code [outFeatures, inFeatures]} row-major, as {@code nn.Linear.weight}
     * @param bias {@code [outFeatures]}, or {@code null} for none
     * @param activation applied to each output
     */
    public Dense(int inFeatures, int outFeatures, float[] weight, float[] bias, Activation activation) {
        this(inFeatures, outFeatures, weight, bias, activation, false, null);
    }

    private Dense(int inFeatures, int outFeatures, float[] weight, float[] bias, Activation activation, boolean residual,
            float[] residualWeight) {
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
        this.residual = residual;
        this.residualWeight = residualWeight;
    }

    /**
     * Reads a Dense module: {@code config.json} and its weights.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file and key or tensor that is missing or wrong
     */
    public static Dense read(ModuleFolder module) {
        ConfigFile config = module.config("config.json");
        SentenceEmbedding.requireIt(config);
        return read(module, config);
    }

    /**
     * Reads a Dense module of a multi-vector model, applied to each token's vector: ColBERT's projection.
     * A config that names no feature (PyLate's) means the tokens, as sentence-transformers 6 loads it.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file and key or tensor that is missing or
     *     wrong, also when the module works on the sentence embedding
     */
    public static Dense readTokenLevel(ModuleFolder module) {
        ConfigFile config = module.config("config.json");
        SentenceEmbedding.requireTokens(config, SentenceEmbedding.TOKENS);
        return read(module, config);
    }

    /**
     * The projection a Stanford ColBERT checkpoint keeps beside its encoder's weights: {@code linear.weight}
     * applied to each token's vector, without bias or activation, as sentence-transformers 6 reads it.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file if the tensor is missing or not a matrix
     */
    public static Dense projection(ModuleWeights weights) {
        long[] shape = weights.shape("linear.weight");
        if (shape.length != 2) {
            throw new ModelLoadException(weights.source() + ": tensor 'linear.weight' has shape "
                    + Arrays.toString(shape) + "; the projection is a matrix [out_features, in_features]");
        }
        int out = Math.toIntExact(shape[0]);
        int in = Math.toIntExact(shape[1]);
        return new Dense(in, out, weights.get("linear.weight", out, in), null, Activation.IDENTITY);
    }

    private static Dense read(ModuleFolder module, ConfigFile config) {
        int in = config.integer("in_features").orElseThrow(() -> config.error("field 'in_features' is missing"));
        int out = config.integer("out_features").orElseThrow(() -> config.error("field 'out_features' is missing"));
        boolean hasBias = config.bool("bias").orElse(true);
        boolean residual = config.bool("use_residual").orElse(false);
        String activationClass = activationClass(config);
        Activation activation;
        try {
            activation = Activation.fromTorchClass(activationClass);
        } catch (IllegalArgumentException e) {
            throw config.error("activation_function is '" + activationClass + "'; " + e.getMessage());
        }
        ModuleWeights weights = module.weights();
        float[] weight = weights.get("linear.weight", out, in);
        float[] bias = hasBias ? weights.get("linear.bias", out) : null;
        float[] residualWeight = residual && in != out ? weights.get("residual.weight", out, in) : null;
        return new Dense(in, out, weight, bias, activation, residual, residualWeight);
    }

    /**
     * The activation's class: as sentence-transformers, a class outside {@code torch.} is custom code it
     * will not import without {@code trust_remote_code}, so it uses the default, Tanh, and so do we.
     */
    private static String activationClass(ConfigFile config) {
        String name = config.text("activation_function").orElse(DEFAULT_ACTIVATION);
        if (!name.startsWith("torch.")) {
            LOG.log(System.Logger.Level.WARNING, "{0}: activation_function ''{1}'' is not a PyTorch class; using Tanh, "
                    + "as sentence-transformers does without trust_remote_code", config.source(), name);
            return DEFAULT_ACTIVATION;
        }
        return name;
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
            out[o] = (float) (activation.apply(sum) + (residual ? residual(vector, o) : 0));
        }
        return out;
    }

    private double residual(float[] vector, int o) {
        if (residualWeight == null) {
            return vector[o];
        }
        double sum = 0;
        int row = o * inFeatures;
        for (int i = 0; i < inFeatures; i++) {
            sum += (double) residualWeight[row + i] * vector[i];
        }
        return sum;
    }

    @Override
    public int outputDimension(int inputDimension) {
        return outFeatures;
    }

    @Override
    public int inputWidth() {
        return inFeatures;
    }

    /** The input length. */
    public int inFeatures() {
        return inFeatures;
    }

    /** The output length. */
    public int outFeatures() {
        return outFeatures;
    }

    /** Whether the layer adds a bias. */
    public boolean hasBias() {
        return bias != null;
    }

    @Override
    public String toString() {
        return "Dense(" + inFeatures + " -> " + outFeatures + ", " + activation.name().toLowerCase(Locale.ROOT)
                + (bias == null ? ", no bias" : "") + (residual ? ", residual" : "") + ")";
    }
}
