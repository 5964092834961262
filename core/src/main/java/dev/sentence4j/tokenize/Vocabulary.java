package dev.sentence4j.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A tokenizer's token-to-id table as {@code tokenizer.json} holds it: its added tokens, then its model's
 * vocabulary (a map for WordPiece, BPE and WordLevel; a list of pieces for Unigram, the id being the
 * position). Looks a token up whole, as Hugging Face's {@code convert_tokens_to_ids} does, without
 * tokenizing it. Immutable.
 */
public final class Vocabulary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> ids;

    private Vocabulary(Map<String, Long> ids) {
        this.ids = ids;
    }

    /**
     * Reads the table of a {@code tokenizer.json}.
     *
     * @param source names the file in messages
     * @throws IllegalArgumentException naming the source if it is not JSON
     */
    public static Vocabulary read(InputStream tokenizerJson, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson);
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
            }
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        Map<String, Long> ids = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asLong()));
        } else if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).path(0).asText(), (long) i);
            }
        }
        // Added tokens are matched before the model's vocabulary.
        for (JsonNode added : root.path("added_tokens")) {
            ids.put(added.path("content").asText(), added.path("id").asLong());
        }
        return new Vocabulary(ids);
    }

    /** The id of a token, looked up whole; empty when the tokenizer has no such token. */
    public OptionalLong id(String token) {
        Long id = ids.get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }
}
