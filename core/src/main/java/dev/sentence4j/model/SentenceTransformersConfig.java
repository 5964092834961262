package dev.sentence4j.model;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What {@code config_sentence_transformers.json} says about the whole model: its family, which
 * sentence-transformers version wrote it, its prompts, similarity function and, since 6.x, the
 * dimension its vectors are truncated to. A folder without the file has none of these, and is a
 * SentenceTransformer unless it is a CrossEncoder saved by sentence-transformers 5 or older (see {@link #family()}).
 */
public final class SentenceTransformersConfig {
    static final String FILE = "config_sentence_transformers.json";

    private final Optional<ConfigFile> file;
    private final ModelFamily family;
    private final Optional<String> writtenBy;
    private final Map<String, String> prompts;
    private final Optional<String> defaultPromptName;
    private final Optional<String> similarityFnName;
    private final OptionalInt truncateDim;

    private SentenceTransformersConfig(Optional<ConfigFile> file, ModelFamily family, Optional<String> writtenBy,
            Map<String, String> prompts, Optional<String> defaultPromptName, Optional<String> similarityFnName,
            OptionalInt truncateDim) {
        this.file = file;
        this.family = family;
        this.writtenBy = writtenBy;
        this.prompts = prompts;
        this.defaultPromptName = defaultPromptName;
        this.similarityFnName = similarityFnName;
        this.truncateDim = truncateDim;
    }

    /**
     * Reads the model's {@code config_sentence_transformers.json}, if it has one.
     *
     * @throws ModelLoadException naming the file and key that is wrong
     */
    public static SentenceTransformersConfig read(ModelFiles files) {
        Optional<ConfigFile> file = ConfigFile.readIfExists(files, FILE);
        if (file.isEmpty()) {
            return new SentenceTransformersConfig(file, impliedFamily(files), Optional.empty(), Map.of(),
                    Optional.empty(), Optional.empty(), OptionalInt.empty());
        }
        ConfigFile config = file.get();
        if (!config.root().isObject()) {
            throw config.error("expected a JSON object");
        }
        ModelFamily family = config.text("model_type").map(type -> ModelFamily.of(type).orElseThrow(() -> config.error(
                "model_type '" + type + "' is not a family sentence-transformers knows ("
                        + Arrays.stream(ModelFamily.values()).map(ModelFamily::modelType).collect(Collectors.joining(", ")) + ")")))
                .orElseGet(() -> impliedFamily(files));
        Optional<String> writtenBy = config.object("__version__").flatMap(v -> v.text("sentence_transformers"));
        Map<String, String> prompts = prompts(config);
        Optional<String> defaultPrompt = config.text("default_prompt_name");
        if (defaultPrompt.isPresent() && !prompts.containsKey(defaultPrompt.get())) {
            throw config.error("default_prompt_name '" + defaultPrompt.get() + "' is not among the prompts " + prompts.keySet());
        }
        OptionalInt truncateDim = config.integer("truncate_dim").map(d -> {
            if (d < 1) {
                throw config.error("truncate_dim must be a positive number of dimensions, got " + d);
            }
            return OptionalInt.of(d);
        }).orElse(OptionalInt.empty());
        return new SentenceTransformersConfig(file, family, writtenBy, prompts, defaultPrompt,
                config.text("similarity_fn_name"), truncateDim);
    }

    /**
     * The family of a folder that does not name one: sentence-transformers 5 and older saved a
     * CrossEncoder as a plain Hugging Face {@code *ForSequenceClassification} model, without
     * {@code modules.json}; anything else is a SentenceTransformer.
     */
    private static ModelFamily impliedFamily(ModelFiles files) {
        if (files.exists(ModulesJson.FILE) || !files.exists("config.json")) {
            return ModelFamily.SENTENCE_TRANSFORMER;
        }
        String architecture = ConfigFile.read(files, "config.json").architecture();
        if (architecture.equals("HF_ColBERT")) {
            // A Stanford ColBERT checkpoint, which sentence-transformers 6 loads as a MultiVectorEncoder.
            return ModelFamily.MULTI_VECTOR_ENCODER;
        }
        return architecture.endsWith("ForSequenceClassification") ? ModelFamily.CROSS_ENCODER : ModelFamily.SENTENCE_TRANSFORMER;
    }

    private static Map<String, String> prompts(ConfigFile config) {
        Map<String, String> prompts = new LinkedHashMap<>();
        config.field("prompts").ifPresent(node -> {
            if (!node.isObject()) {
                throw config.error("field 'prompts' must be an object of name: text");
            }
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw config.error("prompt '" + e.getKey() + "' must be a string, got " + e.getValue());
                }
                prompts.put(e.getKey(), e.getValue().textValue());
            });
        });
        return Collections.unmodifiableMap(prompts);
    }

    /**
     * The model's family: {@code model_type}; when the file does not say, a CrossEncoder for a folder
     * saved as older versions saved them (no {@code modules.json}, a {@code *ForSequenceClassification}
     * architecture), else a SentenceTransformer.
     */
    public ModelFamily family() {
        return family;
    }

    /**
     * Checks that the model is of the family the loading class loads.
     *
     * @param loader the class the caller loads with
     * @throws ModelLoadException naming the family the folder holds and the class that loads it
     */
    public void requireFamily(ModelFamily loader) {
        if (family == loader) {
            return;
        }
        String held = family.modelType();
        String said = file.isPresent() && file.get().has("model_type") ? "model_type is '" + held + "': "
                : family == ModelFamily.CROSS_ENCODER ? "no modules.json and a *ForSequenceClassification config.json: " : "";
        String loadWith = "load it with " + held + ", not " + loader.modelType();
        throw error(said + "this is a " + held + " model; " + loadWith);
    }

    /** The sentence-transformers version that wrote the folder ({@code __version__}), if it says. */
    public Optional<String> writtenBy() {
        return writtenBy;
    }

    /** Prompt texts by name, in the file's order. */
    public Map<String, String> prompts() {
        return prompts;
    }

    /** The prompt used when the caller names none. */
    public Optional<String> defaultPromptName() {
        return defaultPromptName;
    }

    /** The default prompt's text, if the model has one. */
    public Optional<String> defaultPrompt() {
        return defaultPromptName.map(prompts::get);
    }

    /**
     * The prompt a call names, or for {@code null} the model's default prompt, if any: how every model
     * family and the server pick the prompt when the caller gives no prompt text. An empty prompt still
     * counts, as in sentence-transformers.
     *
     * @throws IllegalArgumentException if the model has no prompt of that name
     */
    public Optional<String> prompt(String name) {
        if (name == null) {
            return defaultPrompt();
        }
        String prompt = prompts.get(name);
        if (prompt == null) {
            throw new IllegalArgumentException("the model has no prompt named '" + name + "' (it has " + prompts.keySet() + ")");
        }
        return Optional.of(prompt);
    }

    /**
     * This config with other prompts: a multi-vector model's, to which a PyLate or Stanford ColBERT folder
     * adds its query and document prefixes.
     */
    public SentenceTransformersConfig withPrompts(Map<String, String> others) {
        return new SentenceTransformersConfig(file, family, writtenBy, Collections.unmodifiableMap(new LinkedHashMap<>(others)),
                defaultPromptName, similarityFnName, truncateDim);
    }

    /** The dimension the model's vectors are cut to after all its modules ({@code truncate_dim}, saved since 6.x). */
    public OptionalInt truncateDim() {
        return truncateDim;
    }

    /** A CrossEncoder's activation on its logits, as the PyTorch class {@code activation_fn} names (since 6.x). */
    public Optional<String> activationFn() {
        return file.flatMap(f -> f.text("activation_fn"));
    }

    /**
     * The similarity function the model was saved with, or {@code otherwise} when it names none.
     *
     * @throws ModelLoadException naming the file if the name is not one sentence4j knows
     */
    public SimilarityFunction similarityFunction(SimilarityFunction otherwise) {
        return similarityFnName.map(name -> {
            try {
                return SimilarityFunction.fromName(name);
            } catch (IllegalArgumentException e) {
                throw error("similarity_fn_name: " + e.getMessage());
            }
        }).orElse(otherwise);
    }

    /** The {@code similarity_fn_name} as written, for a family whose functions are not {@link SimilarityFunction}'s. */
    public Optional<String> similarityFnName() {
        return similarityFnName;
    }

    /** The file itself, for a family that reads keys of its own from it (PyLate's top-level ColBERT settings). */
    public Optional<ConfigFile> file() {
        return file;
    }

    /** An error naming this file (which a model without one cannot cause). */
    public ModelLoadException error(String problem) {
        return file.map(f -> f.error(problem)).orElseGet(() -> new ModelLoadException(problem));
    }
}
