package dev.sentence4j.multivector;

import dev.sentence4j.model.ConfigFile;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How long a multi-vector model's queries and documents are, as its Transformer module's
 * {@code sentence_bert_config.json} says: {@code query_length}, {@code document_length} (each the
 * tokenizer's {@code max_length} for that role; absent means the model's maximum sequence length) and
 * {@code query_expansion}, whose length replaces the query length.
 *
 * @param queryLength the tokens a query is cut to, if set
 * @param documentLength the tokens a document is cut to, if set
 * @param expansion the query expansion, if any
 */
public record RoleLengths(OptionalInt queryLength, OptionalInt documentLength, Optional<QueryExpansion> expansion) {
    /** No per-role length and no expansion: what a folder without these settings has. */
    public static final RoleLengths NONE = new RoleLengths(OptionalInt.empty(), OptionalInt.empty(), Optional.empty());

    /**
     * Reads the three settings.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file, key and value that is wrong, such as a
     *     query length below the expansion length (which sentence-transformers refuses too)
     */
    public static RoleLengths read(ConfigFile settings) {
        OptionalInt query = positive(settings, "query_length");
        OptionalInt document = positive(settings, "document_length");
        Optional<QueryExpansion> expansion = QueryExpansion.read(settings);
        if (query.isPresent() && expansion.isPresent() && query.getAsInt() < expansion.get().length()) {
            throw settings.error("query_length is " + query.getAsInt() + ", below query_expansion.length "
                    + expansion.get().length() + ", the least tokens a query has; raise query_length or drop it");
        }
        return new RoleLengths(query, document, expansion);
    }

    private static OptionalInt positive(ConfigFile settings, String key) {
        return settings.integer(key).map(length -> {
            if (length < 2) {
                throw settings.error("field '" + settings.key(key) + "' must be at least 2, room for the special tokens; got "
                        + length);
            }
            return OptionalInt.of(length);
        }).orElse(OptionalInt.empty());
    }

    /** These lengths with any setting this one leaves open taken from {@code defaults} (a legacy folder's). */
    public RoleLengths orElse(RoleLengths defaults) {
        return new RoleLengths(queryLength.isPresent() ? queryLength : defaults.queryLength,
                documentLength.isPresent() ? documentLength : defaults.documentLength,
                expansion.isPresent() ? expansion : defaults.expansion);
    }

    /**
     * The tokens a text of the role is cut to: for a query with {@link QueryExpansion.Strategy#FIXED}
     * expansion its length, else the role's length; empty for the model's maximum sequence length.
     */
    public OptionalInt maxLength(TextRole role) {
        if (role == TextRole.QUERY) {
            if (expansion.filter(e -> e.strategy() == QueryExpansion.Strategy.FIXED).isPresent()) {
                return OptionalInt.of(expansion.get().length());
            }
            return queryLength;
        }
        return documentLength;
    }
}
