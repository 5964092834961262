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
import dev.sentence4j.module.Module;
import dev.sentence4j.multivector.MultiVectorMask;
import dev.sentence4j.multivector.MultiVectorTransformer;
import dev.sentence4j.multivector.QueryExpansion;
import dev.sentence4j.multivector.RoleLengths;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.multivector.TokenPooling;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import dev.sentence4j.tokenize.TokenSpan;
import dev.sentence4j.tokenize.Vocabulary;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.transformer.TransformerTask;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * A MultiVectorEncoder's modules as read from its folder: the Transformer with its per-role tokenizers,
 * lengths and query expansion, then token-level layers (the projection Dense, Normalize), the
 * MultiVectorMask and any token pooling, in {@code modules.json}'s order; and the prompts by role. Reads
 * the folders sentence-transformers 6 saves, PyLate's (whose settings sit in
 * {@code config_sentence_transformers.json}) and Stanford ColBERT checkpoints ({@code HF_ColBERT}, with
 * {@code artifact.metadata} and the projection beside the encoder's weights), as 6.x loads each.
 *
 * @param input the transformer with a tokenizer per role
 * @param layers the token-level layers in order
 * @param mask which tokens are scored
 * @param poolings the token poolings in order, applied to each text's vectors after everything else
 * @param modules every module after the transformer, in the folder's order, for the model's description
 * @param prompts the prompts by name: the folder's, and for a PyLate or Stanford folder its prefixes
 * @param format which layout the folder has
 */
record MultiVectorModules(MultiVectorTransformer input, List<VectorLayer> layers, MultiVectorMask mask,
        List<TokenPooling> poolings, List<Module> modules, Map<String, String> prompts, FolderFormat format) {
    private static final System.Logger LOG = System.getLogger(MultiVectorModules.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODULES_JSON = "modules.json";
    /** PyLate's projection, which sentence-transformers 6 reads as its own Dense. */
    private static final String PYLATE_DENSE = "pylate.models.Dense.Dense";
    /** The architecture Stanford ColBERT's {@code config.json} names. */
    private static final String STANFORD = "HF_ColBERT";
    private static final String STANFORD_METADATA = "artifact.metadata";

    /** What a folder holds besides its transformer, before the tokenizers are made. */
    private record Listed(RoleLengths lengths, List<VectorLayer> layers, MultiVectorMask mask, List<TokenPooling> poolings,
            List<Module> modules, Map<String, String> prefixes) {}

    static MultiVectorModules read(ModelFiles files, SentenceTransformersConfig config, LoadOptions options) {
        if (!files.exists(MODULES_JSON)) {
            if (!isStanford(files)) {
                throw new ModelLoadException(files.describe(MODULES_JSON) + " is missing; a MultiVectorEncoder lists its "
                        + "modules there (or is a Stanford ColBERT checkpoint, whose config.json names the architecture "
                        + STANFORD + ")");
            }
            ModuleFolder root = ModuleFolder.implied(files, 0, "Transformer");
            return read(files, config, options, Optional.empty(), root, (transformer, hiddenSize) -> stanford(files, root));
        }
        Optional<List<ModuleFolder>> modulesJson = ModulesJson.read(files);
        List<ModuleFolder> listed = modulesJson.orElseThrow();
        for (ModuleFolder module : listed) {
            if (!module.type().equals(PYLATE_DENSE)) {
                ModuleTypes.requireImplemented(module);
            }
        }
        if (!listed.get(0).className().equals("Transformer")) {
            throw new ModelLoadException(files.describe(MODULES_JSON) + ": the first module is a "
                    + listed.get(0).className() + "; sentence4j runs multi-vector models that start with a Transformer");
        }
        PyLateSettings pyLate = PyLateSettings.read(config);
        ModuleReading reading = new ModuleReading(options, TransformerTask.FEATURE_EXTRACTION);
        return read(files, config, options, modulesJson, listed.get(0),
                (transformer, hiddenSize) -> listed(files, listed, pyLate, transformer, hiddenSize, reading));
    }

    /** Whether a folder without {@code modules.json} is a Stanford ColBERT checkpoint, as sentence-transformers 6 tells. */
    static boolean isStanford(ModelFiles files) {
        return ConfigFile.readIfExists(files, "config.json").filter(c -> c.architectures().contains(STANFORD)).isPresent();
    }

    private static MultiVectorModules read(ModelFiles files, SentenceTransformersConfig config, LoadOptions options,
            Optional<List<ModuleFolder>> modulesJson, ModuleFolder first, BiFunction<Transformer, Integer, Listed> rest) {
        Transformer transformer = Transformer.readMultiVector(first, ModuleTypes.transformerOptions(options));
        List<Tokenizer> opened = new ArrayList<>();
        try {
            int hiddenSize = hiddenSize(files, transformer);
            Listed listed = rest.apply(transformer, hiddenSize);
            RoleLengths lengths = listed.lengths();
            Map<String, String> prompts = new LinkedHashMap<>(config.prompts());
            listed.prefixes().forEach((role, prefix) -> {
                if (prompts.getOrDefault(role, "").isEmpty()) {
                    prompts.put(role, prefix);
                }
            });
            String tokenizerFile = transformer.tokenizerFile();
            byte[] tokenizerJson = files.readAllBytes(tokenizerFile);
            Vocabulary vocabulary = Vocabulary.read(new ByteArrayInputStream(tokenizerJson), files.describe(tokenizerFile));
            Optional<ConfigFile> tokenizerConfig = ConfigFile.readIfExists(files, "tokenizer_config.json");
            if (!listed.prefixes().isEmpty()) {
                tokenizerJson = withWholePrefixes(tokenizerJson, listed.prefixes(), vocabulary, transformer.tokenizer());
            }
            MultiVectorMask resolved = (listed.mask() == null ? MultiVectorMask.ofSkiplist(List.of()) : listed.mask())
                    .resolve(vocabulary, specialToken(tokenizerConfig, "unk_token").orElse(null));
            List<Module> modules = new ArrayList<>(listed.modules());
            if (listed.mask() == null) {
                modules.add(resolved);
            } else {
                modules.set(modules.indexOf(listed.mask()), resolved);
            }
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
            MultiVectorTransformer input = new MultiVectorTransformer(transformer, lengths, tokenizers, expansionId, hiddenSize);
            return new MultiVectorModules(input, List.copyOf(listed.layers()), resolved, List.copyOf(listed.poolings()),
                    List.copyOf(modules), Collections.unmodifiableMap(prompts),
                    FolderFormat.of(modulesJson));
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

    /**
     * The modules {@code modules.json} lists after the Transformer, with what a PyLate folder leaves implied;
     * {@code hiddenSize} is the transformer's token vector width, 0 where neither graph nor config says.
     */
    private static Listed listed(ModelFiles files, List<ModuleFolder> listed, PyLateSettings pyLate, Transformer transformer,
            int hiddenSize, ModuleReading reading) {
        ModuleFolder first = listed.get(0);
        RoleLengths lengths = Transformer.settings(first).map(RoleLengths::read).orElse(RoleLengths.NONE).orElse(pyLate.lengths());
        List<VectorLayer> layers = new ArrayList<>();
        List<TokenPooling> poolings = new ArrayList<>();
        List<Module> modules = new ArrayList<>();
        MultiVectorMask mask = null;
        int width = hiddenSize;
        for (ModuleFolder module : listed.subList(1, listed.size())) {
            if (!poolings.isEmpty() && !module.className().endsWith("TokenPooling")) {
                throw module.error("a " + module.className() + " module after token pooling; sentence4j pools each text's "
                        + "token vectors last, as the modules sentence-transformers saves end with the pooling");
            }
            switch (module.className()) {
                case "Dense" -> {
                    Dense dense = Dense.readTokenLevel(module);
                    requireWidth(module, dense, width, layers.isEmpty());
                    width = dense.outFeatures();
                    layers.add(dense);
                    modules.add(dense);
                }
                case "Normalize" -> {
                    Normalize normalize = Normalize.readTokenLevel(module);
                    layers.add(normalize);
                    modules.add(normalize);
                }
                case "MultiVectorMask" -> {
                    mask = MultiVectorMask.read(module);
                    modules.add(mask);
                }
                default -> {
                    if (!(reading.read(module) instanceof TokenPooling pooling)) {
                        reading.closeAll();
                        throw module.error("a " + module.className() + " module, which sentence4j does not run in a "
                                + "multi-vector model (it runs Transformer, Dense, Normalize, MultiVectorMask and token "
                                + "pooling)");
                    }
                    poolings.add(pooling);
                    modules.add(pooling);
                }
            }
        }
        if (pyLate.pyLate3()) {
            // PyLate 3 listed only [Transformer, Dense]: its masking and normalization were built in.
            mask = MultiVectorMask.ofSkiplist(pyLate.skiplistWords().orElse(PyLateSettings.PUNCTUATION));
            Normalize normalize = new Normalize();
            layers.add(normalize);
            modules.add(mask);
            modules.add(normalize);
        }
        if (width <= 0) {
            throw new ModelLoadException(transformer.source() + " leaves its output width open and "
                    + files.describe("config.json") + " has no hidden_size");
        }
        return new Listed(lengths, layers, mask, poolings, modules, pyLate.prefixes());
    }

    /**
     * The modules of a Stanford ColBERT checkpoint, as sentence-transformers 6 makes them: the projection
     * from the checkpoint's {@code linear.weight} (no bias), the punctuation skiplist unless
     * {@code mask_punctuation} is false, and per-token Normalize; {@code artifact.metadata}'s
     * {@code doc_maxlen} as the document length and its {@code query_maxlen} (32 if absent) as the fixed
     * query expansion, attended as {@code attend_to_mask_tokens} says; {@code [unused0] } and
     * {@code [unused1] } (or the metadata's {@code query_token_id}, {@code doc_token_id}) as the prefixes.
     */
    private static Listed stanford(ModelFiles files, ModuleFolder root) {
        Optional<ConfigFile> metadata = ConfigFile.readIfExists(files, STANFORD_METADATA);
        if (metadata.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0} is missing: using Stanford ColBERT''s defaults, as "
                    + "sentence-transformers does", files.describe(STANFORD_METADATA));
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        prefixes.put("query", metadata.flatMap(m -> m.text("query_token_id")).filter(t -> !t.isEmpty()).orElse("[unused0]") + " ");
        prefixes.put("document", metadata.flatMap(m -> m.text("doc_token_id")).filter(t -> !t.isEmpty()).orElse("[unused1]") + " ");
        OptionalInt documentLength = OptionalInt.empty();
        int queryLength = 32;
        boolean attend = false;
        boolean maskPunctuation = true;
        if (metadata.isPresent()) {
            ConfigFile m = metadata.get();
            documentLength = m.integer("doc_maxlen").map(length -> {
                if (length < 2) {
                    throw m.error("doc_maxlen must be at least 2, room for the special tokens; got " + length);
                }
                return OptionalInt.of(length);
            }).orElse(OptionalInt.empty());
            queryLength = m.integer("query_maxlen").filter(length -> length != 0).orElse(32);
            if (queryLength < 1) {
                throw m.error("query_maxlen must be a positive number of tokens, got " + queryLength);
            }
            attend = m.bool("attend_to_mask_tokens").orElse(false);
            maskPunctuation = m.bool("mask_punctuation").orElse(true);
        }
        RoleLengths lengths = new RoleLengths(OptionalInt.empty(), documentLength,
                Optional.of(new QueryExpansion(QueryExpansion.Strategy.FIXED, attend, null, queryLength)));
        Dense projection = Dense.projection(root.weights());
        MultiVectorMask mask = MultiVectorMask.ofSkiplist(maskPunctuation ? PyLateSettings.PUNCTUATION : List.of());
        Normalize normalize = new Normalize();
        return new Listed(lengths, List.of(projection, normalize), mask, List.of(), List.of(projection, mask, normalize), prefixes);
    }

    private static void requireWidth(ModuleFolder module, Dense dense, int width, boolean first) {
        if (width > 0 && dense.inFeatures() != width) {
            throw new ModelLoadException(module.describe("config.json") + ": in_features is " + dense.inFeatures()
                    + " but the module before it gives token vectors of " + width
                    + (first ? " (the transformer's hidden size)" : ""));
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
}
