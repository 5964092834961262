package dev.sentence4j.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** One JSON configuration file of a model, with typed reads that name the file and field on error. */
final class ConfigFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final JsonNode root;

    private ConfigFile(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    static ConfigFile read(ModelFiles files, String path) {
        String source = files.describe(path);
        try (InputStream in = files.open(path)) {
            JsonNode root = JSON.readTree(in);
            if (root == null || root.isMissingNode()) {
                throw new ModelLoadException(source + " is empty; expected JSON");
            }
            return new ConfigFile(source, root);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ModelLoadException(source + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    static Optional<ConfigFile> readIfExists(ModelFiles files, String path) {
        return files.exists(path) ? Optional.of(read(files, path)) : Optional.empty();
    }

    String source() {
        return source;
    }

    JsonNode root() {
        return root;
    }

    ModelLoadException error(String problem) {
        return new ModelLoadException(source + ": " + problem);
    }

    Optional<JsonNode> field(String name) {
        JsonNode value = root.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    Optional<Integer> integer(String name) {
        return field(name).map(v -> {
            if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
                throw error("field '" + name + "' must be an integer, got " + v);
            }
            return v.intValue();
        });
    }

    Optional<Boolean> bool(String name) {
        return field(name).map(v -> {
            if (!v.isBoolean()) {
                throw error("field '" + name + "' must be true or false, got " + v);
            }
            return v.booleanValue();
        });
    }

    Optional<String> text(String name) {
        return field(name).map(v -> {
            if (!v.isTextual()) {
                throw error("field '" + name + "' must be a string, got " + v);
            }
            return v.textValue();
        });
    }
}
