package dev.sentence4j.model;

import dev.sentence4j.layer.Activation;
import dev.sentence4j.layer.Dense;
import dev.sentence4j.layer.LayerNorm;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.pool.PoolingMode;
import dev.sentence4j.weights.SafeTensors;
import dev.sentence4j.weights.TorchCheckpoint;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the modules after the transformer from their folders: Pooling, Dense and LayerNorm. */
final class ModuleReader {
    private static final String WEIGHTS = "model.safetensors";
    private static final String TORCH_WEIGHTS = "pytorch_model.bin";

    private ModuleReader() {}

    static Pooling pooling(ModelFiles files, ModuleSpec module) {
        ConfigFile config = ConfigFile.read(files, module.file("config.json"));
        int dimension = config.integer("word_embedding_dimension")
                .orElseThrow(() -> config.error("field 'word_embedding_dimension' is missing"));
        Map<String, PoolingMode> byKey = Arrays.stream(PoolingMode.values())
                .collect(Collectors.toMap(PoolingMode::configKey, m -> m));
        EnumSet<PoolingMode> modes = EnumSet.noneOf(PoolingMode.class);
        for (Iterator<String> names = config.root().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.startsWith("pooling_mode_")) {
                continue;
            }
            boolean on = config.bool(name).orElse(false);
            PoolingMode mode = byKey.get(name);
            if (on && mode == null) {
                throw config.error("pooling mode '" + name + "' is not one sentence4j knows ("
                        + String.join(", ", byKey.keySet()) + ")");
            }
            if (on) {
                modes.add(mode);
            }
        }
        if (modes.isEmpty()) {
            throw config.error("no pooling mode is turned on");
        }
        try {
            return new Pooling(dimension, modes, config.bool("include_prompt").orElse(true));
        } catch (IllegalArgumentException e) {
            throw config.error(e.getMessage());
        }
    }

    static Dense dense(ModelFiles files, ModuleSpec module) {
        ConfigFile config = ConfigFile.read(files, module.file("config.json"));
        int in = config.integer("in_features").orElseThrow(() -> config.error("field 'in_features' is missing"));
        int out = config.integer("out_features").orElseThrow(() -> config.error("field 'out_features' is missing"));
        boolean hasBias = config.bool("bias").orElse(true);
        Activation activation;
        try {
            activation = Activation.fromTorchClass(config.text("activation_function").orElse("Tanh"));
        } catch (IllegalArgumentException e) {
            throw config.error(e.getMessage());
        }
        Weights weights = weights(files, module);
        float[] weight = weights.get("linear.weight", out, in);
        float[] bias = hasBias ? weights.get("linear.bias", out) : null;
        return new Dense(in, out, weight, bias, activation);
    }

    static LayerNorm layerNorm(ModelFiles files, ModuleSpec module) {
        ConfigFile config = ConfigFile.read(files, module.file("config.json"));
        int dimension = config.integer("dimension").orElseThrow(() -> config.error("field 'dimension' is missing"));
        Weights weights = weights(files, module);
        return new LayerNorm(weights.get("norm.weight", dimension), weights.get("norm.bias", dimension));
    }

    /** A module's weights: {@code model.safetensors} when there is one, else {@code pytorch_model.bin}. */
    private static Weights weights(ModelFiles files, ModuleSpec module) {
        String safetensors = module.file(WEIGHTS);
        String torch = module.file(TORCH_WEIGHTS);
        try {
            if (files.exists(safetensors)) {
                String source = files.describe(safetensors);
                return new Weights(source, SafeTensors.read(files.readAllBytes(safetensors), source));
            }
            if (files.exists(torch)) {
                String source = files.describe(torch);
                return new Weights(source, TorchCheckpoint.read(files.readAllBytes(torch), source));
            }
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        throw new ModelLoadException(files.describe(safetensors) + " is missing, and so is " + TORCH_WEIGHTS + " beside it");
    }

    /** A module's tensors, taken by name with their shape checked. */
    private record Weights(String source, Map<String, SafeTensors.Tensor> tensors) {
        float[] get(String name, long... shape) {
            SafeTensors.Tensor tensor = tensors.get(name);
            if (tensor == null) {
                throw new ModelLoadException(source + " has no tensor '" + name + "' (it has " + tensors.keySet() + ")");
            }
            if (!Arrays.equals(tensor.shape(), shape)) {
                throw new ModelLoadException(source + ": tensor '" + name + "' has shape " + Arrays.toString(tensor.shape())
                        + ", the module's config says " + Arrays.toString(shape));
            }
            return tensor.values();
        }
    }
}
