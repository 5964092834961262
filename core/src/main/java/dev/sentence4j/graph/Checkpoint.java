package dev.sentence4j.graph;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import dev.sentence4j.weights.StoredTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checkpoint's tensors by name, as the graph takes them. The base model's tensors may carry the
 * prefix of the task model the checkpoint was saved from ({@code bert.}, {@code roberta.},
 * {@code model.}...); heads' tensors never do. Each tensor enters the graph once, as an external
 * initializer over the stored bytes, cast to float32 in the graph when stored narrower.
 */
final class Checkpoint {
    private final Map<String, StoredTensor> tensors;
    private final Map<String, String> files;
    private final String source;
    private final Map<String, String> inGraph = new HashMap<>();
    private String prefix = "";

    /**
     * @param tensors the tensors by name
     * @param files the file each tensor is stored in, by tensor name
     * @param source the checkpoint, for messages
     */
    Checkpoint(Map<String, StoredTensor> tensors, Map<String, String> files, String source) {
        this.tensors = tensors;
        this.files = files;
        this.source = source;
    }

    String source() {
        return source;
    }

    /**
     * Settles which prefix the base model's tensors carry: the first of {@code prefixes} (with "" tried
     * first) under which {@code probe} exists.
     */
    void usePrefix(String probe, String... prefixes) {
        for (String candidate : prefixes) {
            if (tensors.containsKey(candidate + probe)) {
                prefix = candidate;
                return;
            }
        }
        throw missing(probe, List.of(prefixes));
    }

    /** Whether the base model has this tensor. */
    boolean has(String name) {
        return find(prefix + name).isPresent();
    }

    /** Whether a head has this (unprefixed) tensor. */
    boolean hasHead(String name) {
        return find(name).isPresent();
    }

    /** A base model tensor in the graph, as float32. */
    String weight(GraphBuilder graph, String name, long... shape) {
        return inGraph(graph, prefix + name, shape);
    }

    /** A head's tensor (stored without the base model's prefix) in the graph, as float32. */
    String headWeight(GraphBuilder graph, String name, long... shape) {
        return inGraph(graph, name, shape);
    }

    /** A base model tensor's values, copied onto the heap (for the few weights the builder rearranges). */
    float[] values(String name, long... shape) {
        return checked(prefix + name, shape).floats();
    }

    private String inGraph(GraphBuilder graph, String fullName, long[] shape) {
        String existing = inGraph.get(fullName);
        if (existing != null) {
            return existing;
        }
        StoredTensor tensor = checked(fullName, shape);
        String name = actualName(fullName).orElseThrow();
        String file = files.getOrDefault(name, source);
        String value = switch (tensor.encoding()) {
            case F32 -> graph.external(name, DataType.FLOAT, tensor.shape(), tensor.data(), file);
            case F16 -> cast(graph, graph.external(name, DataType.FLOAT16, tensor.shape(), tensor.data(), file));
            case BF16 -> cast(graph, graph.external(name, DataType.BFLOAT16, tensor.shape(), tensor.data(), file));
            case F64 -> cast(graph, graph.external(name, DataType.DOUBLE, tensor.shape(), tensor.data(), file));
        };
        inGraph.put(fullName, value);
        return value;
    }

    /** Computed in float32, as the checkpoint's own dtype would be upcast; ONNX Runtime folds the cast at load. */
    private static String cast(GraphBuilder graph, String value) {
        return graph.node("Cast", List.of(value), GraphBuilder.attribute("to", (long) DataType.FLOAT_VALUE));
    }

    private StoredTensor checked(String fullName, long[] shape) {
        StoredTensor tensor = find(fullName).orElseThrow(() -> missing(fullName, List.of()));
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException(source + ": tensor '" + actualName(fullName).orElseThrow() + "' has shape "
                    + Arrays.toString(tensor.shape()) + ", but config.json makes it " + Arrays.toString(shape));
        }
        String name = actualName(fullName).orElseThrow();
        String file = files.get(name);
        tensor.requireFinite((file == null || source.endsWith(file) ? source : source + ", file " + file) + ": tensor '" + name + "'");
        return tensor;
    }

    private Optional<StoredTensor> find(String fullName) {
        return actualName(fullName).map(tensors::get);
    }

    /** The name as stored: checkpoints converted from TensorFlow call LayerNorm's weight and bias gamma and beta. */
    private Optional<String> actualName(String fullName) {
        if (tensors.containsKey(fullName)) {
            return Optional.of(fullName);
        }
        String legacy = fullName.endsWith(".weight") ? fullName.substring(0, fullName.length() - 7) + ".gamma"
                : fullName.endsWith(".bias") ? fullName.substring(0, fullName.length() - 5) + ".beta" : null;
        return legacy != null && fullName.contains("LayerNorm") && tensors.containsKey(legacy)
                ? Optional.of(legacy) : Optional.empty();
    }

    private IllegalArgumentException missing(String name, List<String> prefixes) {
        String tried = prefixes.size() > 1 ? " (looked for it with the prefixes " + prefixes + ")" : "";
        List<String> some = tensors.keySet().stream().limit(8).toList();
        return new IllegalArgumentException(source + " has no tensor '" + name + "'" + tried + ", which the model needs; it has "
                + tensors.size() + " tensors, such as " + some);
    }
}
