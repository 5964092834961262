package dev.sentence4j.multivector;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.Module;
import dev.sentence4j.tokenize.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code MultiVectorMask} module: which tokens of a text get a vector to score. A query's real tokens
 * and its expansion tokens; a document's real tokens less those in the skiplist (ColBERT's punctuation),
 * and with {@code keep_only_token_ids} only those ids. The skiplist applies to the roles in
 * {@code skiplist_tasks} (documents by default). Immutable once {@linkplain #resolve resolved}.
 */
public final class MultiVectorMask implements Module {
    private static final System.Logger LOG = System.getLogger(MultiVectorMask.class.getName());

    private final List<String> skiplistWords;
    private final Set<TextRole> skiplistRoles;
    private final long[] keepOnly;
    private final long[] skiplist;

    private MultiVectorMask(List<String> skiplistWords, Set<TextRole> skiplistRoles, long[] keepOnly, long[] skiplist) {
        this.skiplistWords = List.copyOf(skiplistWords);
        this.skiplistRoles = skiplistRoles.isEmpty() ? Set.of() : Set.copyOf(skiplistRoles);
        this.keepOnly = keepOnly;
        this.skiplist = skiplist;
    }

    /**
     * A mask with a skiplist for documents, not yet resolved against a vocabulary: what sentence-transformers
     * 6 adds to a legacy PyLate or Stanford ColBERT folder (its punctuation skiplist).
     */
    public static MultiVectorMask ofSkiplist(List<String> words) {
        return new MultiVectorMask(words, EnumSet.of(TextRole.DOCUMENT), null, new long[0]);
    }

    /**
     * Reads a MultiVectorMask module's {@code config.json}: {@code skiplist_words}, {@code skiplist_tasks},
     * {@code keep_only_token_ids}; a module without one has no skiplist.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file and field that is wrong
     */
    public static MultiVectorMask read(ModuleFolder module) {
        Optional<ConfigFile> file = module.configIfExists("config.json");
        if (file.isEmpty()) {
            return ofSkiplist(List.of());
        }
        ConfigFile config = file.get();
        List<String> words = strings(config, "skiplist_words").orElse(List.of());
        Set<TextRole> roles = TextRole.read(config, "skiplist_tasks");
        long[] keepOnly = config.field("keep_only_token_ids").map(node -> {
            if (!node.isArray()) {
                throw config.error("field 'keep_only_token_ids' must be a list of token ids, got " + node);
            }
            long[] ids = new long[node.size()];
            for (int i = 0; i < ids.length; i++) {
                if (!node.get(i).canConvertToLong()) {
                    throw config.error("keep_only_token_ids[" + i + "] must be a token id, got " + node.get(i));
                }
                ids[i] = node.get(i).longValue();
            }
            return ids;
        }).orElse(null);
        return new MultiVectorMask(words, roles, keepOnly, new long[0]);
    }

    private static Optional<List<String>> strings(ConfigFile config, String key) {
        return config.field(key).map(node -> {
            if (!node.isArray()) {
                throw config.error("field '" + key + "' must be a list of strings, got " + node);
            }
            List<String> values = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isTextual()) {
                    throw config.error(key + "[" + i + "] must be a string, got " + node.get(i));
                }
                values.add(node.get(i).textValue());
            }
            return values;
        });
    }

    /**
     * This mask with its skiplist words turned into token ids, each looked up whole as sentence-transformers
     * does; a word that is not one token of the vocabulary is left out with a warning (it would otherwise
     * mask every unknown token), unless it is the unknown token itself.
     *
     * @param unknownToken the tokenizer's unknown token, or {@code null}
     */
    public MultiVectorMask resolve(Vocabulary vocabulary, String unknownToken) {
        List<Long> ids = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (String word : skiplistWords) {
            OptionalLong id = vocabulary.id(word);
            if (id.isPresent()) {
                ids.add(id.getAsLong());
            } else if (unknownToken != null && vocabulary.id(unknownToken).isPresent() && word.equals(unknownToken)) {
                ids.add(vocabulary.id(unknownToken).getAsLong());
            } else {
                unresolved.add(word);
            }
        }
        if (!unresolved.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "skiplist words {0} are not single tokens of this tokenizer; they are "
                    + "left out of the skiplist, as sentence-transformers leaves them out", unresolved);
        }
        long[] resolved = ids.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        return new MultiVectorMask(skiplistWords, skiplistRoles, keepOnly, resolved);
    }

    /**
     * Whether a token's vector is scored.
     *
     * @param id the token id the transformer saw (an expansion token's id for an expansion position)
     * @param attended whether the tokenizer made it a real token (attention mask 1)
     * @param expansion whether it is a query expansion position
     */
    public boolean scores(TextRole role, long id, boolean attended, boolean expansion) {
        boolean keep = attended || (role == TextRole.QUERY && expansion);
        if (keep && skiplistRoles.contains(role) && Arrays.binarySearch(skiplist, id) >= 0) {
            keep = false;
        }
        if (keep && role != TextRole.QUERY && keepOnly != null && keepOnly.length > 0) {
            keep = Arrays.stream(keepOnly).anyMatch(k -> k == id);
        }
        return keep;
    }

    /** The skiplist's token ids once resolved, sorted. */
    public long[] skiplistIds() {
        return skiplist.clone();
    }

    @Override
    public String toString() {
        return "MultiVectorMask(" + skiplistWords.size() + " skiplist words for " + skiplistRoles
                + (keepOnly == null ? "" : ", keeping only " + Arrays.toString(keepOnly)) + ")";
    }
}
