package dev.sentence4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON request body, read field by field; a missing or mistyped field fails with a message that
 * names it as the client wrote it ({@code inputs[3]}, {@code parameters.truncate}). Unknown fields are
 * ignored, as TEI and OpenAI ignore them.
 */
final class JsonRequest {
    private static final Pattern NON_NUMBER = Pattern.compile("Non-standard token '([-+]?\\w+)'");
    private static final Pattern NESTING = Pattern.compile("nesting depth \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

    private final JsonNode object;
    private final String prefix;

    private JsonRequest(JsonNode object, String prefix) {
        this.object = object;
        this.prefix = prefix;
    }

    /** Parses a body that must hold one JSON object. */
    static JsonRequest parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalid(null, "the request body is empty; send a JSON object");
        }
        JsonNode root;
        try {
            root = ServerJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.invalid(null, "the request body is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + plain(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!root.isObject()) {
            throw ApiException.invalid(null, "the request body must be a JSON object, got " + describe(root));
        }
        return new JsonRequest(root, "");
    }

    /** A request built by the server itself, as the gRPC API builds one from each message. */
    static JsonRequest of(ObjectNode object) {
        return new JsonRequest(object, "");
    }

    /**
     * Jackson's reason, in JSON's terms rather than its own: no feature to enable, no Java method that
     * sets a limit (a client cannot change the server's parser).
     */
    static String plain(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        Matcher nonNumber = NON_NUMBER.matcher(message);
        if (nonNumber.find()) {
            return "'" + nonNumber.group(1) + "' is not a JSON number: JSON has no NaN or Infinity";
        }
        Matcher depth = NESTING.matcher(message);
        if (depth.find()) {
            return "it nests arrays and objects " + depth.group(1) + " deep, deeper than the " + depth.group(2) + " levels the server reads";
        }
        // Whatever else names a parser feature or limit: keep the words, drop the Java.
        return message.replaceAll(":? *\\(?(?:enable|from|use) `[^`]*`(?: to allow)?\\)?", "").replaceAll("\\s*\\(`[^`]*`\\)", "").strip();
    }

    /** A field's name as the client wrote it, with the path of the object that holds it. */
    String name(String field) {
        return prefix + field;
    }

    /**
     * A field holding one text or a list of texts.
     *
     * @param most the most texts the list may hold
     */
    List<String> texts(String field, int most) {
        JsonNode value = present(field);
        String name = name(field);
        if (value == null) {
            throw ApiException.invalid(name, "field '" + name + "' is missing: send a string or a list of strings");
        }
        if (value.isTextual()) {
            return List.of(wellFormed(value.textValue(), name));
        }
        if (!value.isArray()) {
            throw ApiException.invalid(name, "field '" + name + "' must be a string or a list of strings, got " + describe(value));
        }
        if (value.isEmpty()) {
            throw new ApiException(Failure.EMPTY, "field '" + name + "' is an empty list: send at least one text", name);
        }
        if (value.size() > most) {
            throw new ApiException(Failure.TOO_MANY_INPUTS, "field '" + name + "' holds " + value.size()
                    + " texts, more than the " + most + " one request may hold (--max-client-batch-size): split it", name);
        }
        if (value.get(0).isNumber() || value.get(0).isArray()) {
            throw ApiException.invalid(name, "field '" + name + "' holds token ids, but this server embeds text: send strings"
                    + " (LangChain's OpenAIEmbeddings sends token ids unless check_embedding_ctx_length=False)");
        }
        List<String> texts = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemName = name + "[" + i + "]";
            if (!item.isTextual()) {
                throw ApiException.invalid(itemName, "field '" + itemName + "' must be a string, got " + describe(item));
            }
            texts.add(wellFormed(item.textValue(), itemName));
        }
        return texts;
    }

    /**
     * A field holding one list of token ids or a list of such lists, as TEI's {@code /decode} takes them:
     * each id a whole number from 0 to 2^32 - 1.
     *
     * @param most the most lists a list of lists may hold
     */
    List<long[]> tokenIds(String field, int most) {
        JsonNode value = present(field);
        String name = name(field);
        if (value == null || !value.isArray()) {
            throw ApiException.invalid(name, "field '" + name + "' must be a list of token ids or a list of such lists, got "
                    + (value == null ? "nothing" : describe(value)));
        }
        if (value.isEmpty() || !value.get(0).isArray()) {
            return List.of(ids(value, name));
        }
        if (value.size() > most) {
            throw new ApiException(Failure.TOO_MANY_INPUTS, "field '" + name + "' holds " + value.size()
                    + " lists of ids, more than the " + most + " one request may hold (--max-client-batch-size): split it", name);
        }
        List<long[]> lists = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String itemName = name + "[" + i + "]";
            if (!value.get(i).isArray()) {
                throw ApiException.invalid(itemName, "field '" + itemName + "' must be a list of token ids, got "
                        + describe(value.get(i)));
            }
            lists.add(ids(value.get(i), itemName));
        }
        return lists;
    }

    private static long[] ids(JsonNode list, String name) {
        long[] ids = new long[list.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = list.get(i);
            if (!id.canConvertToExactIntegral() || !id.canConvertToLong() || id.asLong() < 0 || id.asLong() > 0xFFFF_FFFFL) {
                throw ApiException.invalid(name + "[" + i + "]", "field '" + name + "[" + i + "]' must be a token id,"
                        + " a whole number from 0 to 4294967295, got " + describe(id));
            }
            ids[i] = id.asLong();
        }
        return ids;
    }

    /** Whether a field holds a list. */
    boolean hasList(String field) {
        JsonNode value = present(field);
        return value != null && value.isArray();
    }

    /** The JSON value of a field, or {@code null} if it is absent or null; for fields of several shapes. */
    JsonNode node(String field) {
        return present(field);
    }

    /**
     * A text with no lone surrogate: JSON's \\uD800 escapes can make one, the tokenizer would silently
     * replace it, and Python's sentence-transformers refuses it.
     */
    static String wellFormed(String text, String name) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.invalid(name, "field '" + name + "' holds a lone surrogate (\\u"
                        + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " at character " + i + "), which is not text");
            }
        }
        return text;
    }

    /** A required text field. */
    String requiredText(String field) {
        String text = text(field).orElseThrow(() -> ApiException.invalid(name(field),
                "field '" + name(field) + "' is missing: send a string"));
        return wellFormed(text, name(field));
    }

    /** An optional string field; JSON null counts as absent. */
    Optional<String> text(String field) {
        return typed(field, JsonNode::isTextual, "a string", JsonNode::textValue);
    }

    /** An optional true or false; JSON null counts as absent. */
    Optional<Boolean> bool(String field) {
        return typed(field, JsonNode::isBoolean, "true or false", JsonNode::booleanValue);
    }

    /** An optional whole number of at least 1; JSON null counts as absent. */
    Optional<Integer> positiveInt(String field) {
        return typed(field, value -> value.canConvertToExactIntegral() && value.canConvertToInt() && value.asInt() >= 1,
                "a whole number of at least 1", JsonNode::asInt);
    }

    private <T> Optional<T> typed(String field, Predicate<JsonNode> valid, String expected, Function<JsonNode, T> read) {
        JsonNode value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!valid.test(value)) {
            throw ApiException.invalid(name(field), "field '" + name(field) + "' must be " + expected + ", got " + describe(value));
        }
        return Optional.of(read.apply(value));
    }

    /** Whether a field holds a JSON object. */
    boolean hasObject(String field) {
        JsonNode value = present(field);
        return value != null && value.isObject();
    }

    /**
     * An object field, read as a request of its own whose field names carry this one's; an absent
     * field reads as an empty object.
     */
    JsonRequest object(String field) {
        JsonNode value = present(field);
        if (value != null && !value.isObject()) {
            throw ApiException.invalid(name(field), "field '" + name(field) + "' must be an object, got " + describe(value));
        }
        return new JsonRequest(value == null ? ServerJson.MAPPER.createObjectNode() : value, name(field) + ".");
    }

    private JsonNode present(String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A short description of a JSON value for an error message: its type, and the value if it is short. */
    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "the number " + value.asText();
        }
        if (value.isBoolean()) {
            return value.asText();
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "an object";
        }
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
