package dev.sentence4j.layer;

import dev.sentence4j.model.ConfigFile;
import java.util.List;

/**
 * The feature the layers here work on. Since 6.x, Dense and Normalize name the feature they read and
 * write; a layer on anything else (the token embeddings of a multi-vector model) is not one of these.
 */
final class SentenceEmbedding {
    static final String NAME = "sentence_embedding";

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
}
