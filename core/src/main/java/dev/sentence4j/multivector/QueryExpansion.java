package dev.sentence4j.multivector;

import dev.sentence4j.model.ConfigFile;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * ColBERT's query expansion, as the Transformer's {@code query_expansion} configures it: a query shorter
 * than {@code length} tokens is padded up to it with {@code token} (the tokenizer's mask token unless
 * named), and those positions' vectors are scored like the query's own.
 *
 * @param strategy {@link Strategy#FIXED}: every query is exactly {@code length} tokens, longer ones cut;
 *     {@link Strategy#MIN}: {@code length} is only the floor
 * @param attend whether the transformer attends to the expansion tokens (attention mask 1); classic ColBERT
 *     does not (0), yet still scores their output vectors
 * @param token the expansion token, or {@code null} for the tokenizer's mask token (else its end-of-text token)
 * @param length the tokens a query has at least, special tokens and prompt included
 */
public record QueryExpansion(Strategy strategy, boolean attend, String token, int length) {
    /** How {@code length} bounds a query. */
    public enum Strategy {
        FIXED,
        MIN
    }

    private static final Set<String> KEYS = Set.of("strategy", "attend", "token", "length");

    public QueryExpansion {
        if (length < 1) {
            throw new IllegalArgumentException("query expansion length must be positive, got " + length);
        }
    }

    /**
     * Reads {@code query_expansion} from a Transformer's {@code sentence_bert_config.json}: absent or
     * {@code null} means none.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file, key and value that is wrong
     */
    public static Optional<QueryExpansion> read(ConfigFile settings) {
        return settings.object("query_expansion").map(config -> {
            config.root().fieldNames().forEachRemaining(key -> {
                if (!KEYS.contains(key)) {
                    throw config.error("field '" + config.key(key) + "' is not a query expansion setting (known: "
                            + String.join(", ", KEYS.stream().sorted().toList()) + ")");
                }
            });
            String name = config.text("strategy").orElseThrow(() -> config.error("field '" + config.key("strategy")
                    + "' is missing; it must be 'fixed' or 'min'"));
            Strategy strategy = switch (name) {
                case "fixed" -> Strategy.FIXED;
                case "min" -> Strategy.MIN;
                default -> throw config.error("field '" + config.key("strategy") + "' must be 'fixed' or 'min', got '"
                        + name + "'");
            };
            int length = config.integer("length").orElseThrow(() -> config.error("field '" + config.key("length")
                    + "' is missing; it is the tokens a query is padded to (classic ColBERT: 32)"));
            if (length < 1) {
                throw config.error("field '" + config.key("length") + "' must be a positive number of tokens, got " + length);
            }
            return new QueryExpansion(strategy, config.bool("attend").orElse(false), config.text("token").orElse(null), length);
        });
    }

    @Override
    public String toString() {
        return strategy.name().toLowerCase(Locale.ROOT) + " " + length + " tokens" + (attend ? ", attended" : "")
                + (token == null ? "" : " of " + token);
    }
}
