package dev.sentence4j;

import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.Module;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.transformer.TransformerTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What every model family shares: its files and {@code config_sentence_transformers.json}, its modules
 * as one pipeline per route, tokenizing, the guard that makes it thread-safe and closable, and a
 * description of itself. A family ({@link SentenceTransformer}, {@link CrossEncoder},
 * {@link SparseEncoder}, {@link MultiVectorEncoder}) adds its output and its own methods.
 */
public abstract class Model implements AutoCloseable {
    private final ModelFiles files;
    private final SentenceTransformersConfig config;
    final Routes routes;
    final ModelGuard guard;

    Model(Loaded loaded, int threads) {
        this.files = loaded.files();
        this.config = loaded.config();
        this.routes = loaded.routes();
        this.guard = new ModelGuard(files.name(), threads, routes::close);
    }

    /** A model's folder as read, before its family checks what only it needs. */
    record Loaded(ModelFiles files, SentenceTransformersConfig config, Routes routes) {
        /** Frees what was read, for a family that refuses it after all. */
        ModelLoadException closing(ModelLoadException e) {
            routes.close();
            return e;
        }
    }

    /**
     * Reads a model of a family: its config, then its modules (those {@code modules.json} lists, or
     * without one those the family makes), checked to end with what the family returns.
     *
     * @param transformerTask the task of a Transformer whose folder names none
     * @param implied the modules of a folder without {@code modules.json}
     * @param output what the family reads from the last module
     * @throws ModelLoadException naming the file and what is wrong
     * @throws IllegalArgumentException if the options name a revision the files are not at
     */
    static Loaded read(ModelFiles files, LoadOptions options, ModelFamily family, TransformerTask transformerTask,
            Function<ModuleReading, List<Module>> implied, Feature output) {
        return read(files, options, family, transformerTask, implied, output, true);
    }

    /**
     * As {@link #read(ModelFiles, LoadOptions, ModelFamily, TransformerTask, Function, Feature)}, for a
     * family that may also run a folder the config alone would give to another family
     * ({@code requireFamily} false: a {@code *ForCausalLM} folder without {@code modules.json}, which a
     * CrossEncoder runs as an LLM reranker).
     */
    static Loaded read(ModelFiles files, LoadOptions options, ModelFamily family, TransformerTask transformerTask,
            Function<ModuleReading, List<Module>> implied, Feature output, boolean requireFamily) {
        options.requireRevisionOf(files);
        SentenceTransformersConfig config = SentenceTransformersConfig.read(files);
        if (requireFamily) {
            config.requireFamily(family);
        }
        Routes routes = Routes.read(files, family, new ModuleReading(options, transformerTask), implied, output);
        return new Loaded(files, config, routes);
    }

    /** The model's name: its folder or id. */
    public String name() {
        return files.name();
    }

    /** The model's files. */
    public ModelFiles files() {
        return files;
    }

    /** What {@code config_sentence_transformers.json} says: prompts, similarity, the version that wrote the model. */
    public SentenceTransformersConfig config() {
        return config;
    }

    /** Which layout the model's folder has: written by sentence-transformers 6, by older versions, or neither. */
    public FolderFormat format() {
        return routes.format();
    }

    /** The tokenizer of the default route, with the model's maximum length. */
    public Tokenizer tokenizer() {
        return routes.defaultPipeline().tokenizer();
    }

    /** The routes of the model's Router ({@code query}, {@code document}), in order; empty for a model without one. */
    public List<String> routes() {
        return routes.names();
    }

    /** What the model is: family, dimension, maximum length, prompts, routes, similarity, modules and files. */
    public ModelInfo describe() {
        Pipeline pipeline = routes.defaultPipeline();
        Map<String, Object> facts = new LinkedHashMap<>(pipeline.input().facts());
        addFacts(pipeline, facts);
        List<String> modules = new ArrayList<>();
        modules.add(pipeline.input().getClass().getSimpleName());
        for (Module module : modulesAfterInput(pipeline)) {
            String type = module.getClass().getSimpleName();
            String printed = module.toString();
            modules.add(printed.startsWith(type) ? printed : type + "(" + printed + ")");
        }
        Map<String, String> locations = new LinkedHashMap<>();
        for (String file : List.of("onnx_file", "tokenizer_file")) {
            if (facts.get(file) != null) {
                locations.put(file, files.describe(facts.get(file).toString()));
            }
        }
        return new ModelInfo(family(), name(), format(), width(), tokenizer().settings().maxSeqLength(),
                similarityOrNull(), pipeline.normalizes(), config.prompts(), config.defaultPromptName().orElse(null),
                routes.names(), routes.defaultRoute(), modules, facts, config.writtenBy().orElse(null), locations);
    }

    /** The modules after the input module that a description lists: the pipeline's, unless the family runs more. */
    List<? extends Module> modulesAfterInput(Pipeline pipeline) {
        return pipeline.rest();
    }

    abstract ModelFamily family();

    /** The length of the model's outputs, as {@link ModelInfo#dimension()}. */
    abstract int width();

    /** The model's similarity function, or {@code null} for a family without one. */
    abstract SimilarityFunction similarityOrNull();

    /** Adds what the family knows of the default route's modules to its description. */
    abstract void addFacts(Pipeline pipeline, Map<String, Object> facts);

    /**
     * The pipeline a call with these options runs: its task's route.
     *
     * @throws IllegalArgumentException for a task the model's Router has no route for
     */
    final Pipeline pipeline(CallOptions<?> options) {
        return routes.pipeline(options.task());
    }

    /**
     * Texts made ready for a call: the prompt the options call for before each, tokenized once by the
     * tokenizer of the options' route.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name or task
     */
    final TokenizedTexts<String> tokenizeTexts(List<String> texts, CallOptions<?> options) {
        Objects.requireNonNull(texts, "texts");
        Pipeline pipeline = pipeline(options);
        String prompt = Prompts.choose(config, options.prompt(), options.promptName());
        return guard.call(workers -> TokenizedTexts.ofTexts(pipeline.tokenizer(), texts, prompt, options, workers));
    }

    /**
     * The options inputs were tokenized for, once checked that this model's route for them tokenized them.
     *
     * @throws IllegalArgumentException if another model tokenized them
     */
    final <O extends CallOptions<O>> O optionsOf(TokenizedTexts<?> texts, Class<O> type) {
        return texts.options(type, options -> pipeline(options).tokenizer(), name());
    }

    /**
     * Options for a task, as {@code encode_query} and {@code encode_document} set them: the task's route
     * and, unless the options name a prompt, for {@code query} the prompt named {@code query}, for
     * {@code document} the first of {@code document}, {@code passage}, {@code corpus} the model has.
     *
     * @param task {@code query}, {@code document} or another route's name
     */
    public final <O extends CallOptions<O>> O forTask(String task, O options) {
        O routed = options.withTask(task);
        if (options.prompt() != null || options.promptName() != null) {
            return routed;
        }
        List<String> names = switch (task) {
            case "query" -> List.of("query");
            case "document" -> List.of("document", "passage", "corpus");
            default -> List.of();
        };
        return Prompts.firstNamed(config, names.toArray(String[]::new)).map(routed::withPromptName).orElse(routed);
    }

    /** The options for search queries, as {@link #forTask forTask("query", options)}. */
    final <O extends CallOptions<O>> O forQueries(O options) {
        return forTask("query", options);
    }

    /** The options for documents to search, as {@link #forTask forTask("document", options)}. */
    final <O extends CallOptions<O>> O forDocuments(O options) {
        return forTask("document", options);
    }

    /**
     * Frees the model's native resources. Calls in progress finish their running batches and fail;
     * later calls fail. Closing again does nothing.
     */
    @Override
    public void close() {
        guard.close();
    }
}
