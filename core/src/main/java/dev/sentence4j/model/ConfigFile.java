package dev.sentence4j.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * One JSON configuration file of a model, or one object inside it, with typed reads whose errors
 * name the file and the key ({@code modality_config.text.method_output_name}). Module classes read
 * their own configuration through this.
 */
public final class ConfigFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String keyPrefix;
    private final JsonNode root;

    private ConfigFile(String source, String keyPrefix, JsonNode root) {
        this.source = source;
        this.keyPrefix = keyPrefix;
        this.root = root;
    }

    /**
     * Reads a file of the model.
     *
     * @throws ModelLoadException naming the file, and the line for broken JSON
     */
    public static ConfigFile read(ModelFiles files, String path) {
        String source = files.describe(path);
        try (InputStream in = files.open(path)) {
            JsonNode root = JSON.readTree(in);
            if (root == null || root.isMissingNode()) {
                throw new ModelLoadException(source + " is empty; expected JSON");
            }
            return new ConfigFile(source, "", root);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ModelLoadException(source + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file of the model if it has one. */
    public static Optional<ConfigFile> readIfExists(ModelFiles files, String path) {
        return files.exists(path) ? Optional.of(read(files, path)) : Optional.empty();
    }

    /** Where the file is, for messages. */
    public String source() {
        return source;
    }

    /** The JSON value this reads: the file's, or the object's. */
    public JsonNode root() {
        return root;
    }

    /** An error naming the file. */
    public ModelLoadException error(String problem) {
        return new ModelLoadException(source + ": " + problem);
    }

    /** How a key is named in messages: with the path of the object it sits in. */
    public String key(String name) {
        return keyPrefix + name;
    }

    /** Whether the key is present, even as {@code null}. */
    public boolean has(String name) {
        return object().has(name);
    }

    /** A value, absent when missing or {@code null}. */
    public Optional<JsonNode> field(String name) {
        JsonNode value = object().get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    public Optional<Integer> integer(String name) {
        return field(name).map(v -> {
            if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
                throw error("field '" + key(name) + "' must be an integer, got " + v);
            }
            return v.intValue();
        });
    }

    public Optional<Boolean> bool(String name) {
        return field(name).map(v -> {
            if (!v.isBoolean()) {
                throw error("field '" + key(name) + "' must be true or false, got " + v);
            }
            return v.booleanValue();
        });
    }

    public Optional<String> text(String name) {
        return field(name).map(v -> {
            if (!v.isTextual()) {
                throw error("field '" + key(name) + "' must be a string, got " + v);
            }
            return v.textValue();
        });
    }

    /**
     * The model classes a Hugging Face {@code config.json} lists in {@code architectures}; none where the
     * field is absent or not a list.
     */
    public List<String> architectures() {
        return field("architectures").filter(JsonNode::isArray)
                .map(list -> StreamSupport.stream(list.spliterator(), false).map(JsonNode::asText).toList())
                .orElse(List.of());
    }

    /**
     * The model class a Hugging Face {@code config.json} names first in {@code architectures}, which
     * transformers and sentence-transformers go by; empty where it names none.
     */
    public String architecture() {
        List<String> architectures = architectures();
        return architectures.isEmpty() ? "" : architectures.get(0);
    }

    /** The root, which a read of a field needs to be an object: an array or a string holds no fields, and is no configuration. */
    private JsonNode object() {
        if (!root.isObject()) {
            throw error((keyPrefix.isEmpty() ? "the file" : "field '" + keyPrefix.substring(0, keyPrefix.length() - 1) + "'")
                    + " must be a JSON object {...}, but is " + (root.isArray() ? "an array" : root.getNodeType().toString()
                    .toLowerCase(Locale.ROOT)));
        }
        return root;
    }

    /** A JSON object inside this one, read with the same typed reads. */
    public Optional<ConfigFile> object(String name) {
        return field(name).map(v -> {
            if (!v.isObject()) {
                throw error("field '" + key(name) + "' must be an object, got " + v);
            }
            return new ConfigFile(source, key(name) + ".", v);
        });
    }
}
