package dev.sentence4j.model;

import dev.sentence4j.weights.SafeTensors;
import dev.sentence4j.weights.TorchCheckpoint;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** A module's tensors, taken by name with their shape checked against what its config says. */
public final class ModuleWeights {
    private static final String SAFETENSORS = "model.safetensors";
    private static final String TORCH = "pytorch_model.bin";

    private final String source;
    private final Map<String, SafeTensors.Tensor> tensors;

    private ModuleWeights(String source, Map<String, SafeTensors.Tensor> tensors) {
        this.source = source;
        this.tensors = tensors;
    }

    static ModuleWeights read(ModuleFolder module) {
        ModelFiles files = module.files();
        String safetensors = module.file(SAFETENSORS);
        String torch = module.file(TORCH);
        try {
            if (files.exists(safetensors)) {
                String source = files.describe(safetensors);
                return new ModuleWeights(source, SafeTensors.read(files.readAllBytes(safetensors), source));
            }
            if (files.exists(torch)) {
                String source = files.describe(torch);
                return new ModuleWeights(source, TorchCheckpoint.read(files.readAllBytes(torch), source));
            }
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        throw new ModelLoadException(files.describe(safetensors) + " is missing, and so is " + TORCH + " beside it");
    }

    /** Where the weights are, for messages. */
    public String source() {
        return source;
    }

    /** The name of the first of these tensors the file has, as a module saved by another version names it. */
    public Optional<String> firstOf(String... names) {
        return Arrays.stream(names).filter(tensors::containsKey).findFirst();
    }

    /**
     * A tensor's shape.
     *
     * @throws ModelLoadException naming the file if the tensor is missing
     */
    public long[] shape(String name) {
        return tensor(name).shape().clone();
    }

    private SafeTensors.Tensor tensor(String name) {
        SafeTensors.Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new ModelLoadException(source + " has no tensor '" + name + "' (it has " + tensors.keySet() + ")");
        }
        return tensor;
    }

    /**
     * A tensor's values, row-major.
     *
     * @throws ModelLoadException naming the file if the tensor is missing or has another shape
     */
    public float[] get(String name, long... shape) {
        SafeTensors.Tensor tensor = tensor(name);
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new ModelLoadException(source + ": tensor '" + name + "' has shape " + Arrays.toString(tensor.shape())
                    + ", the module's config says " + Arrays.toString(shape));
        }
        try {
            tensor.requireFinite(source + ": tensor '" + name + "'");
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        return tensor.values();
    }
}
