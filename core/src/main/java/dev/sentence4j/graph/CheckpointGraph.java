package dev.sentence4j.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.weights.SafeTensors;
import dev.sentence4j.weights.StoredTensor;
import dev.sentence4j.weights.TorchCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A transformer's forward pass built as an ONNX graph from its {@code config.json} and checkpoint
 * ({@code model.safetensors}, sharded {@code model.safetensors.index.json}, or {@code pytorch_model.bin}),
 * for models without an ONNX export. The checkpoint is memory-mapped and its tensors handed to ONNX
 * Runtime as external initializers, so the weights never pass through the Java heap (except those the
 * builder rearranges, such as int8-quantized ones).
 */
public final class CheckpointGraph {
    /** The classes whose code decides the graphs built: a cached graph is reused only by the same code. */
    /** The builder's classes that every architecture shares; the architectures' own come from their registry. */
    private static final List<Class<?>> BUILDER = List.of(CheckpointGraph.class, Architectures.class, Layers.class,
            Layers.Rotary.class, Layers.PostNormNames.class, Layers.Activation.class, GraphBuilder.class, Checkpoint.class,
            Encoder.class, Int8Weights.class, ModelJson.class, Head.class);
    /** The checkpoint files looked for, preferred first. */
    private static final List<String> CHECKPOINTS = List.of("model.safetensors", "model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointGraph() {}

    /** The checkpoint files looked for in {@code folder}, preferred first. */
    public static List<String> checkpointNames(String folder) {
        return CHECKPOINTS.stream().map(name -> path(folder, name)).toList();
    }

    /** Whether a path names a checkpoint file rather than an ONNX graph. */
    public static boolean isCheckpoint(String path) {
        return CHECKPOINTS.contains(path.substring(path.lastIndexOf('/') + 1));
    }

    /** The checkpoint file of the transformer in {@code folder} ("" for the model's root), if it has one. */
    public static Optional<String> checkpointFile(ModelFiles files, String folder) {
        return CHECKPOINTS.stream().map(name -> path(folder, name)).filter(files::exists).findFirst();
    }

    /**
     * How to build the graph of the transformer whose checkpoint is {@code checkpoint} (a path inside the
     * model; {@code config.json} lies beside it): its files are fetched now (from the Hub, for a Hub
     * model), the graph is built only when no cached one fits.
     *
     * @throws IllegalArgumentException naming the file, field or tensor when the model cannot be built
     */
    public static GraphRecipe recipe(ModelFiles files, String checkpoint, Head head, boolean quantized) {
        return recipe(files, checkpoint, head, quantized, List.of());
    }

    /**
     * As {@link #recipe(ModelFiles, String, Head, boolean)}, for {@link Head#CAUSAL_LM} computing only the
     * language-model head's {@code vocabularyRows} (all of them when empty), in that order.
     */
    public static GraphRecipe recipe(ModelFiles files, String checkpoint, Head head, boolean quantized,
            List<Integer> vocabularyRows) {
        String folder = checkpoint.contains("/") ? checkpoint.substring(0, checkpoint.lastIndexOf('/')) : "";
        String configPath = path(folder, "config.json");
        ModelJson config = ModelJson.parse(files.readAllBytes(configPath), files.describe(configPath));
        Architectures.of(config);
        Map<Path, String> weightFiles = weightFiles(files, folder, checkpoint);
        String source = files.describe(checkpoint);
        String key = Builder.FINGERPRINT + "|" + head + (vocabularyRows.isEmpty() ? "" : vocabularyRows.toString()) + "|"
                + (quantized ? "int8" : "float32") + "|" + config.canonical();
        return new GraphRecipe(source, key, List.copyOf(weightFiles.keySet()),
                () -> build(config, weightFiles, source, head, quantized, vocabularyRows));
    }

    /** Builds the graph from a parsed configuration and its weight files. */
    static BuiltGraph build(ModelJson config, Map<Path, String> weightFiles, String source, Head head, boolean quantized,
            List<Integer> vocabularyRows) {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        Map<String, String> fileOf = new HashMap<>();
        for (Map.Entry<Path, String> file : weightFiles.entrySet()) {
            Map<String, StoredTensor> some = map(file.getKey());
            tensors.putAll(some);
            some.keySet().forEach(name -> fileOf.put(name, file.getValue()));
        }
        GraphBuilder graph = new GraphBuilder(config.modelType());
        Architectures.of(config).build(new Layers(graph, new Checkpoint(tensors, fileOf, source), quantized,
                vocabularyRows), config, head);
        return graph.build(source);
    }

    private static Map<String, StoredTensor> map(Path file) {
        try {
            return file.getFileName().toString().endsWith(".safetensors") ? SafeTensors.map(file) : TorchCheckpoint.map(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The weight files on disk (fetched for a Hub model), each with its name inside the model. */
    private static Map<Path, String> weightFiles(ModelFiles files, String folder, String checkpoint) {
        List<String> names = new ArrayList<>();
        if (checkpoint.endsWith(".index.json")) {
            JsonNode index;
            try {
                index = JSON.readTree(files.readAllBytes(checkpoint));
            } catch (IOException e) {
                throw new IllegalArgumentException(files.describe(checkpoint) + " is not valid JSON: " + e.getMessage(), e);
            }
            JsonNode map = index == null ? null : index.get("weight_map");
            if (map == null || !map.isObject() || map.isEmpty()) {
                throw new IllegalArgumentException(files.describe(checkpoint) + ": field 'weight_map' (tensor name: shard file) is missing");
            }
            Set<String> shards = new LinkedHashSet<>();
            map.fields().forEachRemaining(e -> shards.add(e.getValue().asText()));
            for (String shard : shards) {
                if (shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                    throw new IllegalArgumentException(files.describe(checkpoint) + ": shard '" + shard + "' is not a file name beside it");
                }
                names.add(path(folder, shard));
            }
        } else {
            names.add(checkpoint);
        }
        Map<Path, String> paths = new LinkedHashMap<>();
        for (String name : names) {
            Path local = files.localPath(name).orElseThrow(() -> new IllegalArgumentException(files.describe(name)
                    + " is not a file on disk; a checkpoint is read from a model folder or the Hugging Face cache"));
            paths.put(local, name.substring(name.lastIndexOf('/') + 1));
        }
        return paths;
    }

    /** The builder's own code, digested once: graphs cached by other code are never reused. */
    private static final class Builder {
        static final String FINGERPRINT = fingerprint();

        private static String fingerprint() {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                Set<Class<?>> classes = new LinkedHashSet<>(BUILDER);
                classes.addAll(Architectures.classes());
                for (Class<?> type : classes) {
                    String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
                    try (InputStream in = type.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new IllegalStateException("cannot read the class file " + resource);
                        }
                        digest.update(in.readAllBytes());
                    }
                }
                return "graph-builder:" + HexFormat.of().formatHex(digest.digest());
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new IllegalStateException("cannot fingerprint the graph builder", e);
            }
        }
    }

    private static String path(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }
}
