package dev.sentence4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.pool.PoolingMode;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.TokenizerSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a model folder's configuration files say, read as sentence-transformers reads them:
 * {@code modules.json}, {@code sentence_bert_config.json}, {@code 1_Pooling/config.json},
 * {@code config_sentence_transformers.json} and, for defaults, {@code config.json} and
 * {@code tokenizer_config.json}.
 *
 * @param modules the pipeline stages, in order
 * @param tokenizer truncation length and lowercasing
 * @param pooling how token vectors become a sentence vector
 * @param normalize whether sentence vectors are scaled to unit length
 * @param similarityFunction how the model's vectors are compared
 */
public record ModelConfig(
        List<ModuleSpec> modules,
        TokenizerSettings tokenizer,
        Pooling pooling,
        boolean normalize,
        SimilarityFunction similarityFunction) {

    private static final System.Logger LOG = System.getLogger(ModelConfig.class.getName());
    private static final String MODULES = "modules.json";
    private static final String TYPE_PREFIX = "sentence_transformers.models.";
    private static final Set<String> SUPPORTED = Set.of("Transformer", "Pooling", "Normalize");
    /** Older sentence-transformers versions named this file after the architecture. */
    private static final List<String> TRANSFORMER_CONFIGS = List.of(
            "sentence_bert_config.json", "sentence_roberta_config.json", "sentence_distilbert_config.json",
            "sentence_camembert_config.json", "sentence_albert_config.json", "sentence_xlm-roberta_config.json",
            "sentence_xlnet_config.json");

    public ModelConfig {
        modules = List.copyOf(modules);
    }

    /**
     * Reads a model's configuration.
     *
     * @throws ModelLoadException naming the file and field that is missing or wrong
     */
    public static ModelConfig read(ModelFiles files) {
        List<ModuleSpec> modules = modules(files);
        ModuleSpec transformer = modules.get(0);
        TokenizerSettings tokenizer = tokenizerSettings(files, transformer);
        // Without modules.json there is no Pooling module folder: mean pooling over the hidden size.
        Pooling pooling = modules.stream().filter(m -> m.type().equals("Pooling")).findFirst()
                .map(m -> pooling(ConfigFile.read(files, m.file("config.json"))))
                .orElseGet(() -> Pooling.mean(hiddenSize(files)));
        boolean normalize = modules.stream().anyMatch(m -> m.type().equals("Normalize"));
        return new ModelConfig(modules, tokenizer, pooling, normalize, similarity(files));
    }

    /** The Transformer module: where {@code tokenizer.json} and the transformer's configuration live. */
    public ModuleSpec transformer() {
        return modules.get(0);
    }

    private static List<ModuleSpec> modules(ModelFiles files) {
        if (!files.exists(MODULES)) {
            LOG.log(System.Logger.Level.WARNING, "{0} has no {1}: using Transformer + mean pooling, without normalization",
                    files.name(), MODULES);
            return List.of(new ModuleSpec("Transformer", ""));
        }
        ConfigFile config = ConfigFile.read(files, MODULES);
        if (!config.root().isArray() || config.root().isEmpty()) {
            throw config.error("expected a non-empty list of modules");
        }
        List<ModuleSpec> modules = new ArrayList<>();
        for (JsonNode entry : config.root()) {
            int index = modules.size();
            String type = entry.path("type").asText("");
            String path = entry.path("path").asText("");
            modules.add(new ModuleSpec(moduleType(config, index, type), path));
        }
        checkOrder(config, modules);
        return modules;
    }

    private static String moduleType(ConfigFile config, int index, String type) {
        if (type.isEmpty()) {
            throw config.error("module " + index + " has no 'type'");
        }
        if (!type.startsWith(TYPE_PREFIX)) {
            throw config.error("module " + index + " has type '" + type
                    + "', custom code that sentence4j cannot run (supported: " + SUPPORTED + ")");
        }
        String name = type.substring(type.lastIndexOf('.') + 1);
        if (!SUPPORTED.contains(name)) {
            throw config.error("module " + index + " has type '" + type
                    + "', which sentence4j does not support (supported: " + SUPPORTED + ")");
        }
        return name;
    }

    private static void checkOrder(ConfigFile config, List<ModuleSpec> modules) {
        List<String> types = modules.stream().map(ModuleSpec::type).collect(Collectors.toList());
        boolean ordered = types.get(0).equals("Transformer")
                && types.size() >= 2 && types.get(1).equals("Pooling")
                && types.subList(2, types.size()).stream().allMatch("Normalize"::equals)
                && types.size() <= 3;
        if (!ordered) {
            throw config.error("modules " + types + " are not a Transformer, then Pooling, then optionally Normalize");
        }
    }

    private static TokenizerSettings tokenizerSettings(ModelFiles files, ModuleSpec transformer) {
        Optional<ConfigFile> config = TRANSFORMER_CONFIGS.stream()
                .filter(name -> files.exists(transformer.file(name)))
                .findFirst()
                .map(name -> ConfigFile.read(files, transformer.file(name)));
        boolean lowerCase = config.flatMap(c -> c.bool("do_lower_case")).orElse(false);
        int maxSeqLength = config.flatMap(c -> c.integer("max_seq_length"))
                .orElseGet(() -> defaultMaxSeqLength(files, transformer));
        try {
            return new TokenizerSettings(maxSeqLength, lowerCase);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(config.map(ConfigFile::source).orElse(files.name()) + ": " + e.getMessage());
        }
    }

    /** As sentence-transformers: the smaller of the tokenizer's and the position embeddings' limits. */
    private static int defaultMaxSeqLength(ModelFiles files, ModuleSpec transformer) {
        Optional<Integer> tokenizerMax = ConfigFile.readIfExists(files, transformer.file("tokenizer_config.json"))
                .flatMap(c -> c.field("model_max_length"))
                .filter(JsonNode::canConvertToInt)
                .map(JsonNode::intValue);
        Optional<Integer> positions = ConfigFile.readIfExists(files, transformer.file("config.json"))
                .flatMap(c -> c.integer("max_position_embeddings"));
        return tokenizerMax.map(t -> positions.map(p -> Math.min(t, p)).orElse(t))
                .or(() -> positions)
                .orElseThrow(() -> new ModelLoadException(files.name() + ": cannot tell the maximum sequence length: "
                        + "no max_seq_length in " + TRANSFORMER_CONFIGS.get(0)
                        + ", no model_max_length in tokenizer_config.json, no max_position_embeddings in config.json"));
    }

    private static Pooling pooling(ConfigFile config) {
        int dimension = config.integer("word_embedding_dimension")
                .orElseThrow(() -> config.error("field 'word_embedding_dimension' is missing"));
        Map<String, PoolingMode> byKey = Arrays.stream(PoolingMode.values())
                .collect(Collectors.toMap(PoolingMode::configKey, m -> m));
        EnumSet<PoolingMode> modes = EnumSet.noneOf(PoolingMode.class);
        for (Iterator<String> names = config.root().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.startsWith("pooling_mode_")) {
                continue;
            }
            boolean on = config.bool(name).orElse(false);
            PoolingMode mode = byKey.get(name);
            if (on && mode == null) {
                throw config.error("pooling mode '" + name + "' is not one sentence4j knows ("
                        + String.join(", ", byKey.keySet()) + ")");
            }
            if (on) {
                modes.add(mode);
            }
        }
        if (modes.isEmpty()) {
            throw config.error("no pooling mode is turned on");
        }
        try {
            return new Pooling(dimension, modes);
        } catch (IllegalArgumentException e) {
            throw config.error(e.getMessage());
        }
    }

    private static int hiddenSize(ModelFiles files) {
        ConfigFile config = ConfigFile.read(files, "config.json");
        return config.integer("hidden_size").or(() -> config.integer("d_model"))
                .orElseThrow(() -> config.error("field 'hidden_size' is missing; it sizes the default mean pooling"));
    }

    private static SimilarityFunction similarity(ModelFiles files) {
        return ConfigFile.readIfExists(files, "config_sentence_transformers.json")
                .flatMap(c -> c.text("similarity_fn_name").map(name -> {
                    try {
                        return SimilarityFunction.fromName(name);
                    } catch (IllegalArgumentException e) {
                        throw c.error(e.getMessage());
                    }
                }))
                .orElse(SimilarityFunction.COSINE);
    }
}
