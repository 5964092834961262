package dev.sentence4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.layer.Dense;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.TokenizerSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param layers the modules after pooling (Dense, LayerNorm, Normalize), in order
 * @param similarityFunction how the model's vectors are compared
 * @param prompts prompt texts by name, from {@code config_sentence_transformers.json}
 * @param defaultPromptName the prompt used when the caller names none, or {@code null}
 */
public record ModelConfig(
        List<ModuleSpec> modules,
        TokenizerSettings tokenizer,
        Pooling pooling,
        List<VectorLayer> layers,
        SimilarityFunction similarityFunction,
        Map<String, String> prompts,
        String defaultPromptName) {

    private static final System.Logger LOG = System.getLogger(ModelConfig.class.getName());
    private static final String MODULES = "modules.json";
    private static final String TYPE_PREFIX = "sentence_transformers.models.";
    private static final String SETTINGS = "config_sentence_transformers.json";
    private static final Set<String> SUPPORTED = Set.of("Transformer", "Pooling", "Dense", "LayerNorm", "Normalize");
    private static final Set<String> LAYERS = Set.of("Dense", "LayerNorm", "Normalize");
    /** Older sentence-transformers versions named this file after the architecture. */
    private static final List<String> TRANSFORMER_CONFIGS = List.of(
            "sentence_bert_config.json", "sentence_roberta_config.json", "sentence_distilbert_config.json",
            "sentence_camembert_config.json", "sentence_albert_config.json", "sentence_xlm-roberta_config.json",
            "sentence_xlnet_config.json");

    public ModelConfig {
        modules = List.copyOf(modules);
        layers = List.copyOf(layers);
        prompts = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
        if (defaultPromptName != null && !prompts.containsKey(defaultPromptName)) {
            throw new IllegalArgumentException("default prompt '" + defaultPromptName + "' is not among the prompts "
                    + prompts.keySet());
        }
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
                .map(m -> ModuleReader.pooling(files, m))
                .orElseGet(() -> Pooling.mean(hiddenSize(files)));
        List<VectorLayer> layers = new ArrayList<>();
        int dimension = pooling.outputDimension();
        for (ModuleSpec module : modules.subList(Math.min(2, modules.size()), modules.size())) {
            VectorLayer layer = layer(files, module);
            if (layer instanceof Dense dense && dense.inFeatures() != dimension) {
                throw new ModelLoadException(files.describe(module.file("config.json")) + ": in_features is "
                        + dense.inFeatures() + " but the module before it gives vectors of " + dimension);
            }
            dimension = layer.outputDimension(dimension);
            layers.add(layer);
        }
        Optional<ConfigFile> settings = ConfigFile.readIfExists(files, SETTINGS);
        Map<String, String> prompts = settings.map(ModelConfig::prompts).orElse(Map.of());
        String defaultPrompt = settings.flatMap(c -> c.text("default_prompt_name")).orElse(null);
        if (defaultPrompt != null && !prompts.containsKey(defaultPrompt)) {
            throw settings.get().error("default_prompt_name '" + defaultPrompt + "' is not among the prompts " + prompts.keySet());
        }
        return new ModelConfig(modules, tokenizer, pooling, layers, similarity(settings), prompts, defaultPrompt);
    }

    /** Whether the last word on vector length is a Normalize module: vectors come out unit length. */
    public boolean normalize() {
        return !layers.isEmpty() && layers.get(layers.size() - 1) instanceof Normalize;
    }

    /** The length of the vectors the whole pipeline gives. */
    public int dimension() {
        int dimension = pooling.outputDimension();
        for (VectorLayer layer : layers) {
            dimension = layer.outputDimension(dimension);
        }
        return dimension;
    }

    /** The default prompt's text, if the model has one. */
    public Optional<String> defaultPrompt() {
        return Optional.ofNullable(defaultPromptName).map(prompts::get);
    }

    private static VectorLayer layer(ModelFiles files, ModuleSpec module) {
        switch (module.type()) {
            case "Dense":
                return ModuleReader.dense(files, module);
            case "LayerNorm":
                return ModuleReader.layerNorm(files, module);
            default:
                return new Normalize();
        }
    }

    private static Map<String, String> prompts(ConfigFile settings) {
        Map<String, String> prompts = new LinkedHashMap<>();
        settings.field("prompts").ifPresent(node -> {
            if (!node.isObject()) {
                throw settings.error("field 'prompts' must be an object of name: text");
            }
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw settings.error("prompt '" + e.getKey() + "' must be a string, got " + e.getValue());
                }
                prompts.put(e.getKey(), e.getValue().textValue());
            });
        });
        return prompts;
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
                && LAYERS.containsAll(types.subList(2, types.size()));
        if (!ordered) {
            throw config.error("modules " + types + " are not a Transformer, then Pooling, then any of " + LAYERS);
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

    private static int hiddenSize(ModelFiles files) {
        ConfigFile config = ConfigFile.read(files, "config.json");
        return config.integer("hidden_size").or(() -> config.integer("d_model"))
                .orElseThrow(() -> config.error("field 'hidden_size' is missing; it sizes the default mean pooling"));
    }

    private static SimilarityFunction similarity(Optional<ConfigFile> settings) {
        return settings
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
