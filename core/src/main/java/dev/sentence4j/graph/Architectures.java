package dev.sentence4j.graph;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The {@code model_type}s the builder implements, each one class. */
final class Architectures {
    private static final Map<String, Supplier<Architecture>> BY_TYPE = new TreeMap<>(Map.of(
            "bert", BertGraph::new,
            "roberta", RobertaGraph::new,
            "xlm-roberta", RobertaGraph::new,
            "distilbert", DistilBertGraph::new,
            "mpnet", MpnetGraph::new,
            "modernbert", ModernBertGraph::new,
            "qwen2", DecoderGraph::qwen2,
            "qwen3", DecoderGraph::qwen3));

    private Architectures() {}

    /**
     * The classes that build the registered architectures. They key the graph cache with the builder's
     * own classes, so that registering an architecture is all it takes for its graphs to be rebuilt
     * when its code changes.
     */
    static Set<Class<?>> classes() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        BY_TYPE.values().forEach(architecture -> classes.add(architecture.get().getClass()));
        return classes;
    }

    /** The architecture of a {@code config.json}, or an error listing the supported ones. */
    static Architecture of(ModelJson config) {
        String type = config.modelType();
        Supplier<Architecture> architecture = BY_TYPE.get(type);
        if (architecture == null) {
            throw config.error("model_type '" + type + "' has no graph builder in sentence4j; it builds "
                    + String.join(", ", BY_TYPE.keySet()) + " (or load an ONNX export of the model)");
        }
        return architecture.get();
    }
}
