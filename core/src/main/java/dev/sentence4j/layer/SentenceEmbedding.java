package dev.sentence4j.layer;

import dev.sentence4j.model.ConfigFile;
import java.util.List;

/**
 * The feature the layers here work on. Since 6.x, Dense and Normalize name the feature they read and
 * write; a layer on anything else (the token embeddings of a multi-vector model) is not one of these.
 */
final class SentenceEmbedding {
    static final String NAME = "sentence_embedding";
    /** The per-token feature a multi-vector model's layers work on. */
    static final String TOKENS = "token_embeddings";

    private SentenceEmbedding() {}

    /** Checks that a module's {@code module_input_name} and {@code module_output_name} are the sentence embedding. */
    static void requireIt(ConfigFile config) {
        for (String key : List.of("module_input_name", "module_output_name")) {
            String name = config.text(key).orElse(NAME);
            if (!name.equals(NAME)) {
                throw config.error(key + " is '" + name + "'; sentence4j applies this module to the pooled '" + NAME
                        + "' only, as in a SentenceTransformer (a module on '" + name + "' belongs to another kind of model)");
            }
        }
    }

    /**
     * Checks that a module of a multi-vector model works on the token embeddings.
     *
     * @param unnamed what a module that names no feature works on: PyLate's Dense, saved before modules
     *     named theirs, works on the tokens (sentence-transformers 6 loads it so); a Normalize on the sentence
     */
    static void requireTokens(ConfigFile config, String unnamed) {
        for (String key : List.of("module_input_name", "module_output_name")) {
            String name = config.text(key).orElse(key.equals("module_output_name")
                    ? config.text("module_input_name").orElse(unnamed) : unnamed);
            if (!name.equals(TOKENS)) {
                throw config.error(key + " is '" + name + "'; in a multi-vector model sentence4j applies this module to"
                        + " each token's vector, '" + TOKENS + "'");
            }
        }
    }
}
