package dev.sentence4j.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * A transformer's {@code config.json}, as Hugging Face transformers writes it, read field by field:
 * each read names the file and field when the value is missing or of the wrong kind, and a field whose
 * value the builder does not implement is refused by name rather than ignored.
 */
final class ModelJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields that count or size something: 0 or less would build a graph that computes nothing, or fails inside ONNX Runtime. */
    private static final Set<String> SIZES = Set.of("dim", "global_attn_every_n_layers", "head_dim", "hidden_dim", "hidden_size",
            "intermediate_size", "local_attention", "max_position_embeddings", "n_heads", "n_layers", "num_attention_heads",
            "num_hidden_layers", "num_key_value_heads", "num_labels", "relative_attention_num_buckets", "vocab_size");

    private final JsonNode root;
    private final String source;

    private ModelJson(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    static ModelJson parse(byte[] json, String source) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(source + " is not a JSON object");
            }
            return new ModelJson(root, source);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    String source() {
        return source;
    }

    /** The canonical bytes of the whole file, for cache keys. */
    String canonical() {
        return root.toString();
    }

    String modelType() {
        return text("model_type").orElseThrow(() -> error("field 'model_type' is missing; it names the architecture"));
    }

    Optional<JsonNode> field(String name) {
        JsonNode value = root.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    int integer(String name) {
        return integer(name, null);
    }

    int integer(String name, Integer fallback) {
        Optional<JsonNode> value = field(name);
        if (value.isEmpty()) {
            if (fallback == null) {
                throw error("field '" + name + "' is missing");
            }
            return fallback;
        }
        if (!value.get().canConvertToExactIntegral() || !value.get().canConvertToInt()) {
            throw error("field '" + name + "' must be an integer, got " + value.get());
        }
        int integer = value.get().intValue();
        if (integer < 1 && SIZES.contains(name)) {
            throw error("field '" + name + "' is " + integer + "; it counts or sizes part of the model, so it must be at least 1");
        }
        return integer;
    }

    double number(String name, double fallback) {
        Optional<JsonNode> value = field(name);
        if (value.isPresent() && !value.get().isNumber()) {
            throw error("field '" + name + "' must be a number, got " + value.get());
        }
        return value.map(JsonNode::doubleValue).orElse(fallback);
    }

    boolean bool(String name, boolean fallback) {
        Optional<JsonNode> value = field(name);
        if (value.isPresent() && !value.get().isBoolean()) {
            throw error("field '" + name + "' must be true or false, got " + value.get());
        }
        return value.map(JsonNode::booleanValue).orElse(fallback);
    }

    Optional<String> text(String name) {
        return field(name).map(v -> {
            if (!v.isTextual()) {
                throw error("field '" + name + "' must be a string, got " + v);
            }
            return v.textValue();
        });
    }

    /** The field's text, which must be one the builder implements (the fallback when absent). */
    String oneOf(String name, String fallback, Collection<String> supported) {
        String value = text(name).orElse(fallback);
        if (!supported.contains(value)) {
            throw error("field '" + name + "' is '" + value + "', which sentence4j's " + modelType()
                    + " graph does not implement (it implements " + String.join(", ", supported) + ")");
        }
        return value;
    }

    /** Refuses a field that would change the computation in a way the builder does not implement. */
    void requireAbsent(String name, String why) {
        field(name).ifPresent(value -> {
            throw error("field '" + name + "' is " + value + ", which sentence4j's " + modelType()
                    + " graph does not implement (" + why + ")");
        });
    }

    /** Refuses a boolean field whose value the builder does not implement. */
    void requireBool(String name, boolean fallback, boolean implemented) {
        if (bool(name, fallback) != implemented) {
            throw error("field '" + name + "' is " + !implemented + ", which sentence4j's " + modelType()
                    + " graph does not implement");
        }
    }

    IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(source + ": " + problem);
    }
}
