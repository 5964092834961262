package dev.sentence4j.server;

import dev.sentence4j.model.ModelFamily;

/**
 * A path that a model answers, chosen per request by its {@code model} field.
 *
 * @param errors how the route writes its errors
 * @param family the family of model that answers it, or {@code null} where every family answers
 * @param usesModel whether it takes one of the model's {@code --max-concurrent-requests} slots
 */
record ModelRoute(String path, ErrorFormat errors, ModelFamily family, boolean usesModel) {
    /** A route that runs a model of one family. */
    static ModelRoute encoding(String path, ErrorFormat errors, ModelFamily family) {
        return new ModelRoute(path, errors, family, true);
    }

    /** A TEI route that every family answers from its tokenizer, without running the model. */
    static ModelRoute tokenizer(String path) {
        return new ModelRoute(path, ErrorFormat.TEI, null, false);
    }
}
