package dev.sentence4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code modules.json}: the model's modules in order, each with its type and folder. It names the
 * types only; which class reads each one is decided by the model family that loads it.
 */
public final class ModulesJson {
    static final String FILE = "modules.json";

    private ModulesJson() {}

    /**
     * The modules the model lists, or empty when it has no {@code modules.json} (a plain Hugging Face
     * model, for which sentence-transformers makes default modules).
     *
     * @throws ModelLoadException naming the file and entry that is malformed
     */
    public static Optional<List<ModuleFolder>> read(ModelFiles files) {
        if (!files.exists(FILE)) {
            return Optional.empty();
        }
        ConfigFile config = ConfigFile.read(files, FILE);
        if (!config.root().isArray() || config.root().isEmpty()) {
            throw config.error("expected a non-empty list of modules");
        }
        List<ModuleFolder> modules = new ArrayList<>();
        for (JsonNode entry : config.root()) {
            int index = modules.size();
            if (!entry.isObject()) {
                throw config.error("module " + index + " must be an object with 'type' and 'path', got " + entry);
            }
            String type = entry.path("type").asText("");
            if (type.isEmpty()) {
                throw config.error("module " + index + " has no 'type'");
            }
            JsonNode path = entry.path("path");
            if (!path.isMissingNode() && !path.isTextual()) {
                throw config.error("module " + index + " has a 'path' that is not a string: " + path);
            }
            // model2vec's folders put their StaticEmbedding at the root as ".".
            String folder = path.asText("").equals(".") ? "" : path.asText("");
            modules.add(new ModuleFolder(files, index, type, className(type), folder));
        }
        return Optional.of(List.copyOf(modules));
    }

    /**
     * The class a type names: its last dotted segment, as sentence-transformers imports it, with the
     * old {@code Asym} under its new name {@code Router}.
     */
    static String className(String type) {
        String name = type.substring(type.lastIndexOf('.') + 1);
        return name.equals("Asym") ? "Router" : name;
    }
}
