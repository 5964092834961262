package dev.sentence4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.layer.Dense;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModulesJson;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.multivector.MultiVectorMask;
import dev.sentence4j.multivector.QueryExpansion;
import dev.sentence4j.multivector.RoleLengths;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import dev.sentence4j.tokenize.TokenSpan;
import dev.sentence4j.tokenize.Vocabulary;
import dev.sentence4j.transformer.Transformer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A MultiVectorEncoder's modules: a Transformer with its per-role lengths and query expansion, then
 * token-level layers (the projection Dense, Normalize) and the MultiVectorMask, in {@code modules.json}'s
 * order; with a tokenizer per role (each cutting to its role's length) and the prompts by role.
 *
 * @param transformer the graph (its own tokenizer is not used: the role tokenizers replace it)
 * @param lengths query and document lengths, query expansion
 * @param layers the token-level layers in order
 * @param mask which tokens are scored
 * @param tokenizers a tokenizer per role
 * @param expansionId the id of the query expansion token, or -1 without expansion
 * @param prompts the prompts by name: the folder's, and for a PyLate folder its prefixes
 * @param dimension the length of each token vector
 * @param config the folder's {@code config_sentence_transformers.json}
 * @param format which layout the folder has
 */
record MultiVectorModules(Transformer transformer, RoleLengths lengths, List<VectorLayer> layers, MultiVectorMask mask,
        Map<TextRole, Tokenizer> tokenizers, long expansionId, Map<String, String> prompts, int dimension,
        SentenceTransformersConfig config, FolderFormat format) implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODULES_JSON = "modules.json";
    /** PyLate's projection, which sentence-transformers 6 reads as its own Dense. */
    private static final String PYLATE_DENSE = "pylate.models.Dense.Dense";

    static MultiVectorModules read(ModelFiles files, SentenceTransformersConfig config, LoadOptions options) {
        if (!files.exists(MODULES_JSON)) {
            Optional<ConfigFile> hf = ConfigFile.readIfExists(files, "config.json");
            boolean stanford = hf.flatMap(c -> c.field("architectures"))
                    .filter(a -> a.toString().contains("HF_ColBERT")).isPresent();
            throw new ModelLoadException(files.describe(MODULES_JSON) + " is missing; "
                    + (stanford ? "this is a Stanford ColBERT checkpoint (HF_ColBERT), which sentence4j does not load yet: "
                            + "save it once with sentence-transformers 6 (MultiVectorEncoder(...).save(...)) to get its folder layout"
                            : "a MultiVectorEncoder lists its modules there"));
        }
        List<ModuleFolder> modules = ModulesJson.read(files).orElseThrow();
        PyLateSettings pyLate = PyLateSettings.read(config);
        for (ModuleFolder module : modules) {
            if (!module.type().equals(PYLATE_DENSE)) {
                ModuleTypes.requireImplemented(module);
            }
        }
        if (!modules.get(0).className().equals("Transformer")) {
            throw new ModelLoadException(files.describe(MODULES_JSON) + ": the first module is a "
                    + modules.get(0).className() + "; sentence4j runs multi-vector models that start with a Transformer");
        }
        ModuleFolder first = modules.get(0);
        Transformer transformer = Transformer.readMultiVector(first, ModuleTypes.transformerOptions(options));
        List<Tokenizer> opened = new ArrayList<>();
        try {
            Optional<ConfigFile> settings = Transformer.settings(first);
            RoleLengths lengths = settings.map(RoleLengths::read).orElse(RoleLengths.NONE).orElse(pyLate.lengths());
            List<VectorLayer> layers = new ArrayList<>();
            MultiVectorMask mask = null;
            int width = hiddenSize(files, transformer);
            for (ModuleFolder module : modules.subList(1, modules.size())) {
                switch (module.className()) {
                    case "Dense" -> {
                        Dense dense = Dense.readTokenLevel(module);
                        if (width > 0 && dense.inFeatures() != width) {
                            throw new ModelLoadException(module.describe("config.json") + ": in_features is "
                                    + dense.inFeatures() + " but the module before it gives token vectors of " + width
                                    + (layers.isEmpty() ? " (the transformer's hidden size)" : ""));
                        }
                        width = dense.outFeatures();
                        layers.add(dense);
                    }
                    case "Normalize" -> layers.add(Normalize.readTokenLevel(module));
                    case "MultiVectorMask" -> mask = MultiVectorMask.read(module);
                    default -> throw module.error("a " + module.className() + " module, which sentence4j does not run in a "
                            + "multi-vector model (it runs Transformer, Dense, Normalize and MultiVectorMask)");
                }
            }
            if (pyLate.pyLate3()) {
                // PyLate 3 listed only [Transformer, Dense]: its masking and normalization were built in.
                mask = MultiVectorMask.ofSkiplist(pyLate.skiplistWords().orElse(PyLateSettings.PUNCTUATION));
                layers.add(new Normalize());
            }
            if (width <= 0) {
                throw new ModelLoadException(transformer.source() + " leaves its output width open and "
                        + files.describe("config.json") + " has no hidden_size");
            }
            Map<String, String> prompts = new LinkedHashMap<>(config.prompts());
            pyLate.prefixes().forEach((role, prefix) -> {
                if (prompts.getOrDefault(role, "").isEmpty()) {
                    prompts.put(role, prefix);
                }
            });
            String tokenizerFile = transformer.tokenizerFile();
            byte[] tokenizerJson = files.readAllBytes(tokenizerFile);
            Vocabulary vocabulary = Vocabulary.read(new ByteArrayInputStream(tokenizerJson), files.describe(tokenizerFile));
            Optional<ConfigFile> tokenizerConfig = ConfigFile.readIfExists(files, "tokenizer_config.json");
            if (!pyLate.prefixes().isEmpty()) {
                tokenizerJson = withWholePrefixes(tokenizerJson, pyLate.prefixes(), vocabulary, transformer.tokenizer());
            }
            MultiVectorMask resolved = (mask == null ? MultiVectorMask.ofSkiplist(List.of()) : mask)
                    .resolve(vocabulary, specialToken(tokenizerConfig, "unk_token").orElse(null));
            TokenizerSettings base = transformer.tokenizer().settings();
            Map<TextRole, Tokenizer> tokenizers = new LinkedHashMap<>();
            for (TextRole role : TextRole.values()) {
                int max = lengths.maxLength(role).orElse(base.maxSeqLength());
                Tokenizer tokenizer = Tokenizer.load(new ByteArrayInputStream(tokenizerJson), files.describe(tokenizerFile),
                        new TokenizerSettings(max, base.doLowerCase(), base.paddingSide()));
                opened.add(tokenizer);
                tokenizers.put(role, tokenizer);
            }
            long expansionId = lengths.expansion().isEmpty() ? -1
                    : expansionId(files, first, lengths.expansion().get(), vocabulary, tokenizerConfig, base);
            requireRoomAfterPrompts(files, first, lengths, prompts, tokenizers);
            // A model without Normalize still gives per-token vectors; dimension is the last width.
            return new MultiVectorModules(transformer, lengths, List.copyOf(layers), resolved, Map.copyOf(tokenizers),
                    expansionId, Map.copyOf(prompts), width, config, FolderFormat.of(Optional.of(modules)));
        } catch (IllegalArgumentException e) {
            opened.forEach(Tokenizer::close);
            transformer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            opened.forEach(Tokenizer::close);
            transformer.close();
            throw e;
        }
    }

    /** The transformer's token vector width: the graph's, else {@code config.json}'s {@code hidden_size}; 0 if neither says. */
    private static int hiddenSize(ModelFiles files, Transformer transformer) {
        if (transformer.hiddenSize() > 0) {
            return transformer.hiddenSize();
        }
        return ConfigFile.readIfExists(files, "config.json").flatMap(c -> c.integer("hidden_size")).orElse(0);
    }

    /** A special token of {@code tokenizer_config.json}: a string, or an object with its {@code content}. */
    private static Optional<String> specialToken(Optional<ConfigFile> tokenizerConfig, String key) {
        return tokenizerConfig.flatMap(c -> c.field(key)).map(v -> v.isObject() ? v.path("content").asText() : v.asText());
    }

    /**
     * The expansion token's id: the one named, else the tokenizer's mask token, else its end-of-text token
     * (sentence-transformers' order).
     */
    private static long expansionId(ModelFiles files, ModuleFolder transformer, QueryExpansion expansion,
            Vocabulary vocabulary, Optional<ConfigFile> tokenizerConfig, TokenizerSettings settings) {
        if (settings.paddingSide() == PaddingSide.LEFT) {
            throw transformer.error("query expansion pads queries on the right, but the tokenizer pads on the left; "
                    + "sentence4j runs query expansion on right-padded encoders only");
        }
        if (expansion.token() != null) {
            return vocabulary.id(expansion.token()).orElseThrow(() -> new ModelLoadException(transformer.describe(
                    "sentence_bert_config.json") + ": query_expansion.token '" + expansion.token()
                    + "' is not a token of the tokenizer"));
        }
        for (String key : List.of("mask_token", "eos_token")) {
            OptionalLong id = specialToken(tokenizerConfig, key).map(vocabulary::id).orElse(OptionalLong.empty());
            if (id.isPresent()) {
                return id.getAsLong();
            }
        }
        throw new ModelLoadException(files.describe("tokenizer_config.json") + " names no mask_token (nor eos_token) "
                + "that the tokenizer has, and query_expansion names no token to expand queries with");
    }

    /**
     * Refuses a role length that leaves no room for the text after its prompt and the special tokens: every
     * query or document would come out the same.
     */
    private static void requireRoomAfterPrompts(ModelFiles files, ModuleFolder transformer, RoleLengths lengths,
            Map<String, String> prompts, Map<TextRole, Tokenizer> tokenizers) {
        for (TextRole role : TextRole.values()) {
            String prompt = role == TextRole.QUERY ? prompts.get("query")
                    : List.of("document", "passage", "corpus").stream().map(prompts::get).filter(p -> p != null)
                            .findFirst().orElse(null);
            OptionalInt length = lengths.maxLength(role);
            if (prompt == null || length.isEmpty()) {
                continue;
            }
            int taken = tokenizers.get(role).tokenize(List.of(prompt)).get(0).untruncatedLength();
            if (length.getAsInt() <= taken) {
                String key = role == TextRole.QUERY
                        ? (lengths.expansion().filter(e -> e.strategy() == QueryExpansion.Strategy.FIXED).isPresent()
                                ? "query_expansion.length" : "query_length")
                        : "document_length";
                String where = Transformer.settings(transformer).map(ConfigFile::source)
                        .orElse(files.describe("config_sentence_transformers.json"));
                throw new ModelLoadException(where + ": " + key + " is " + length.getAsInt() + ", but the " + role.label()
                        + " prompt '" + prompt + "' alone takes " + taken + " tokens with the special tokens, leaving no room "
                        + "for the " + role.label() + "'s own text");
            }
        }
    }

    /**
     * The tokenizer with each PyLate prefix the vocabulary has made a special token, so that it stays one
     * token when prepended as text, as sentence-transformers 6 registers it.
     */
    private static byte[] withWholePrefixes(byte[] tokenizerJson, Map<String, String> prefixes, Vocabulary vocabulary,
            Tokenizer tokenizer) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(tokenizerJson);
            ArrayNode added = root.withArray("added_tokens");
            boolean changed = false;
            for (String value : prefixes.values()) {
                if (value.isBlank()) {
                    continue;
                }
                for (String prefix : List.of(value, value.strip().split("\\s+")[0])) {
                    OptionalLong id = vocabulary.id(prefix);
                    if (id.isEmpty()) {
                        continue;
                    }
                    List<String> pieces = tokenizer.spans(prefix, false).stream().map(TokenSpan::token).toList();
                    if (!pieces.equals(List.of(prefix))) {
                        ObjectNode token = added.addObject();
                        token.put("id", id.getAsLong());
                        token.put("content", prefix);
                        token.put("single_word", false);
                        token.put("lstrip", false);
                        token.put("rstrip", false);
                        token.put("normalized", false);
                        token.put("special", true);
                        changed = true;
                    }
                    break;
                }
            }
            return changed ? JSON.writeValueAsBytes(root) : tokenizerJson;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the tokenizer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            tokenizers.values().forEach(Tokenizer::close);
        } finally {
            transformer.close();
        }
    }

    /** The tokenizer of a role. */
    Tokenizer tokenizer(TextRole role) {
        return tokenizers.get(role);
    }
}
