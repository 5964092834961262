package dev.sentence4j;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.multivector.QueryExpansion;
import dev.sentence4j.multivector.RoleLengths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a folder saved by PyLate before sentence-transformers 6 keeps at the top of
 * {@code config_sentence_transformers.json}, read as sentence-transformers 6 reads it: the
 * {@code query_prefix}/{@code document_prefix} become the query and document prompts (and tokens the
 * tokenizer must keep whole), {@code query_length}/{@code do_query_expansion}/
 * {@code attend_to_expansion_tokens} the query expansion, {@code document_length} the document length,
 * {@code skiplist_words} the documents' skiplist; and a {@code model_type} of {@code ColBERT} (PyLate 3)
 * means the MultiVectorMask and Normalize its {@code modules.json} leaves out.
 *
 * @param prefixes the prompts by role that PyLate inserted as tokens
 * @param lengths defaults for the Transformer's own settings, which win
 * @param skiplistWords the skiplist, if the file names one
 * @param pyLate3 whether the modules after the projection must be added
 */
record PyLateSettings(Map<String, String> prefixes, RoleLengths lengths, Optional<List<String>> skiplistWords, boolean pyLate3) {
    /** Python's {@code string.punctuation}: PyLate's and Stanford ColBERT's skiplist. */
    static final List<String> PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".chars()
            .mapToObj(c -> String.valueOf((char) c)).toList();

    private static final List<String> MARKERS = List.of("query_length", "document_length", "query_expansion",
            "do_query_expansion", "attend_to_expansion_tokens", "attend_to_mask_tokens", "query_prefix", "document_prefix",
            "skiplist_words");

    static final PyLateSettings NONE = new PyLateSettings(Map.of(), RoleLengths.NONE, Optional.empty(), false);

    static PyLateSettings read(SentenceTransformersConfig config) {
        if (config.file().isEmpty()) {
            return NONE;
        }
        ConfigFile file = config.file().get();
        boolean pyLate3 = file.text("model_type").filter("ColBERT"::equals).isPresent();
        if (!pyLate3 && MARKERS.stream().noneMatch(file::has)) {
            return NONE;
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        file.text("query_prefix").ifPresent(p -> prefixes.put("query", p));
        file.text("document_prefix").ifPresent(p -> prefixes.put("document", p));
        OptionalInt documentLength = file.integer("document_length").map(OptionalInt::of).orElse(OptionalInt.empty());
        OptionalInt queryLength = file.integer("query_length").map(OptionalInt::of).orElse(OptionalInt.empty());
        Optional<QueryExpansion> expansion;
        if (file.has("query_expansion")) {
            expansion = QueryExpansion.read(file);
        } else if (file.bool("do_query_expansion").filter(on -> !on).isPresent()) {
            expansion = Optional.empty();
        } else {
            // As sentence-transformers 6: PyLate expanded queries with [MASK] up to query_length (32 by default).
            boolean attend = file.bool("attend_to_expansion_tokens").or(() -> file.bool("attend_to_mask_tokens")).orElse(false);
            expansion = Optional.of(new QueryExpansion(QueryExpansion.Strategy.FIXED, attend, null, queryLength.orElse(32)));
            queryLength = OptionalInt.empty();
        }
        Optional<List<String>> skiplist = file.field("skiplist_words").map(node -> {
            if (!node.isArray()) {
                throw file.error("field 'skiplist_words' must be a list of strings, got " + node);
            }
            List<String> words = new ArrayList<>();
            node.forEach(word -> words.add(word.asText()));
            return words;
        });
        return new PyLateSettings(prefixes, new RoleLengths(queryLength, documentLength, expansion), skiplist, pyLate3);
    }
}
