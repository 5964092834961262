package dev.sentence4j.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.graph.CheckpointGraph;
import dev.sentence4j.graph.Head;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.Features;
import dev.sentence4j.module.InputModule;
import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.ChatTemplate;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code Transformer} module: the model's tokenizer and its transformer as an ONNX graph (its ONNX
 * export, else the graph sentence4j builds from its checkpoint), with the settings of its
 * {@code sentence_bert_config.json}, {@code tokenizer_config.json} and {@code config.json}. Gives
 * token embeddings {@code [batch, tokens, hidden]} ({@link #run}; for a fill-mask model, the masked-LM
 * logits {@code [batch, tokens, vocabulary]}), or for a sequence-classification model the classifier's
 * logits {@code [batch, labels]} ({@link #scores}). Thread-safe.
 */
public final class Transformer implements InputModule {
    private static final List<String> DEFAULT_ONNX_FILES = List.of("onnx/model.onnx", "model.onnx");
    /** The names Hugging Face's ONNX exports give int8 files, most portable first. */
    private static final List<String> QUANTIZED_ONNX_FILES = List.of("onnx/model_quantized.onnx", "onnx/model_int8.onnx",
            "onnx/model_qint8_avx2.onnx", "onnx/model_quint8_avx2.onnx", "onnx/model_qint8_avx512_vnni.onnx",
            "onnx/model_qint8_avx512.onnx", "onnx/model_qint8_arm64.onnx", "model_quantized.onnx");
    /** Older sentence-transformers versions named this file after the architecture. */
    private static final List<String> SETTINGS_FILES = List.of(
            "sentence_bert_config.json", "sentence_roberta_config.json", "sentence_distilbert_config.json",
            "sentence_camembert_config.json", "sentence_albert_config.json", "sentence_xlm-roberta_config.json",
            "sentence_xlnet_config.json");
    private static final System.Logger LOG = System.getLogger(Transformer.class.getName());
    private static final String TOKENIZER = "tokenizer.json";
    /** Model types whose position ids start after the padding index, as RoBERTa numbers them. */
    private static final Set<String> POSITIONS_AFTER_PADDING = Set.of("roberta", "xlm-roberta", "xlm-roberta-xl", "camembert",
            "mpnet", "data2vec-text", "longformer", "roberta-prelayernorm", "xmod", "ibert");
    /**
     * The tasks whose graph gives one vector per token, which is what {@link #run} returns; a
     * sequence-classification one ({@link #scores}) is read only for the CrossEncoder that expects it.
     */
    private static final Set<TransformerTask> RUNNABLE = EnumSet.of(TransformerTask.FEATURE_EXTRACTION, TransformerTask.FILL_MASK);
    /** Settings that change what sentence-transformers feeds the model, which sentence4j does not follow yet. */
    private static final Map<String, String> UNFOLLOWED_KEYS = Map.of(
            "query_length", "multi-vector models truncate queries to their own length",
            "document_length", "multi-vector models truncate documents to their own length",
            "query_expansion", "multi-vector models pad queries with [MASK] tokens",
            "processing_kwargs", "it overrides how texts are padded and truncated");

    /** The settings a multi-vector model follows itself. */
    private static final Set<String> MULTI_VECTOR_KEYS = Set.of("query_length", "document_length", "query_expansion");

    /**
     * The most logits one run of a causal-LM export may give (256 MiB of floats, held twice while they are
     * copied out); a larger batch runs in parts of fewer rows.
     */
    private static final long EXPORT_LOGITS_PER_RUN = 64L << 20;

    private final GraphFile graphFile;
    private final String tokenizerFile;
    private final TransformerTask task;
    private final Tokenizer tokenizer;
    private final OnnxGraph graph;
    /** For a causal LM: the vocabulary rows read at the last position. */
    private final List<Integer> vocabularyRows;
    private final ChatTemplate chatTemplate;

    private Transformer(GraphFile graphFile, String tokenizerFile, TransformerTask task, Tokenizer tokenizer, OnnxGraph graph,
            List<Integer> vocabularyRows, ChatTemplate chatTemplate) {
        this.graphFile = graphFile;
        this.tokenizerFile = tokenizerFile;
        this.task = task;
        this.tokenizer = tokenizer;
        this.graph = graph;
        this.vocabularyRows = List.copyOf(vocabularyRows);
        this.chatTemplate = chatTemplate;
    }

    /**
     * Reads a Transformer module: its settings, its {@code tokenizer.json} and its graph: the ONNX file
     * when the module has one (unless {@link TransformerOptions#checkpoint()} asks otherwise), else the
     * graph built from its checkpoint ({@code model.safetensors}, {@code pytorch_model.bin}).
     *
     * @throws ModelLoadException naming the file and what is wrong when the module cannot be loaded
     */
    public static Transformer read(ModuleFolder module, TransformerOptions options) {
        return read(module, options, TransformerTask.FEATURE_EXTRACTION);
    }

    /**
     * Reads a Transformer module for a family that expects a task: sentence-transformers makes a
     * CrossEncoder's module a sequence-classification Transformer, and an {@code MLMTransformer} is a
     * fill-mask one.
     *
     * @param expected the task when {@code sentence_bert_config.json} names none; sequence-classification
     *     is read only when expected
     * @throws ModelLoadException naming the file and what is wrong when the module cannot be loaded
     */
    public static Transformer read(ModuleFolder module, TransformerOptions options, TransformerTask expected) {
        return read(module, options, expected, Set.of(), List.of());
    }

    /**
     * Reads the Transformer of an LLM reranker, a text-generation one whose language-model head is read
     * at the last position for {@code vocabularyRows} only (a graph built from the checkpoint computes
     * just those rows). As sentence-transformers, its tokenizer pads on the left, and pairs are rendered
     * through the model's chat template when its {@code modality_config} has a {@code message} entry (or,
     * without one, when it has a chat template).
     *
     * @throws ModelLoadException naming the file and what is wrong when the module cannot be loaded
     */
    public static Transformer read(ModuleFolder module, TransformerOptions options, TransformerTask expected,
            List<Integer> vocabularyRows) {
        return read(module, options, expected, Set.of(), vocabularyRows);
    }

    /**
     * Reads the Transformer module of a multi-vector model, whose per-role lengths and query expansion
     * (see {@link #settings(ModuleFolder)}) the caller follows.
     *
     * @throws ModelLoadException naming the file and what is wrong when the module cannot be loaded
     */
    public static Transformer readMultiVector(ModuleFolder module, TransformerOptions options) {
        return read(module, options, TransformerTask.FEATURE_EXTRACTION, MULTI_VECTOR_KEYS, List.of());
    }

    /**
     * Starts loading what every Transformer's load needs first, on threads of their own, and returns at
     * once: the JSON reader's classes (its config files come first), ONNX Runtime's native libraries and
     * environment, the tokenizers' native library. A program that will load a model soon, such as the
     * command line while it reads its arguments, has them ready by then, a tenth of a second or more of
     * its start-up done on other cores. A failure is left for the model's load to report.
     *
     * @param cache the folder ONNX Runtime's libraries are kept in, as {@link RuntimeOptions#cache()}; {@code null} for none
     * @param beforeTokenizers runs on the loading thread just before the tokenizers' library loads, which may
     *     log (DJL's GPU probe): a program setting up its logging meanwhile waits for it there
     * @return what to wait on before the process exits: native code must not be loading as it ends
     */
    public static Future<?> preload(Path cache, Runnable beforeTokenizers) {
        // The two libraries on two threads: a model's load needs both at about the same time (the tokenizer on
        // its caller's thread, the graph on another), and loaded one after the other the second came late.
        Future<?> tokenizers = LoadThread.start(() -> {
            try {
                beforeTokenizers.run();
                Tokenizer.loadNativeLibrary();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "tokenizers' library not preloaded: " + e.getMessage());
            }
            return null;
        }).future();
        return LoadThread.start(() -> {
            try {
                new ObjectMapper().readTree("{}");
                if (cache != null) {
                    NativeLibraries.prepare(cache);
                }
                OnnxGraph.environment();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "ONNX Runtime not preloaded: " + e.getMessage());
            }
            return tokenizers.get();
        }).future();
    }

    /** The module's {@code sentence_bert_config.json} (or an older name for it), if it has one. */
    public static Optional<ConfigFile> settings(ModuleFolder module) {
        return SETTINGS_FILES.stream().filter(module::exists).findFirst().map(module::config);
    }

    private static Transformer read(ModuleFolder module, TransformerOptions options, TransformerTask expected,
            Set<String> followedByCaller, List<Integer> vocabularyRows) {
        ModelFiles files = module.files();
        GraphFile graphFile = graphFile(module, options);
        Optional<ConfigFile> config = settings(module);
        config.ifPresent(c -> requireFollowed(c, followedByCaller));
        TransformerTask task = task(config, expected);
        String graphOutput = graphOutput(config, task);
        Optional<ConfigFile> modelConfig = module.configIfExists("config.json");
        Optional<ConfigFile> tokenizerConfig = module.configIfExists("tokenizer_config.json");
        requireNoCustomCode(modelConfig);
        requireNoCustomCode(tokenizerConfig);
        TokenizerSettings settings = tokenizerSettings(module, config, modelConfig, tokenizerConfig);
        ChatTemplate chatTemplate = null;
        if (task == TransformerTask.TEXT_GENERATION) {
            // sentence-transformers pads causal models on the left, so the last column is every row's last token
            settings = new TokenizerSettings(settings.maxSeqLength(), settings.doLowerCase(), PaddingSide.LEFT);
            try {
                chatTemplate = ChatTemplates.read(module, config, modelConfig, tokenizerConfig).orElse(null);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(e.getMessage(), e);
            }
        }
        String tokenizerFile = Stream.of(module.file(TOKENIZER), TOKENIZER)
                .filter(files::exists).findFirst()
                .orElseThrow(() -> new ModelLoadException(files.describe(TOKENIZER)
                        + " is missing; sentence4j needs the model's fast-tokenizer file"));
        // The graph loads (ONNX Runtime's session, a fifth of a second or more) while this thread reads the tokenizer.
        LoadThread<OnnxGraph> graphLoad = LoadThread.start(() -> graphFile.checkpoint()
                ? builtGraph(files, graphFile.path(), config, task, graphOutput, options, vocabularyRows)
                : onnxGraph(files, graphFile.path(), graphOutput, task, options.runtime()));
        Tokenizer tokenizer;
        try {
            tokenizer = tokenizer(files, tokenizerFile, settings);
        } catch (RuntimeException | Error e) {
            closeWhenLoaded(graphLoad, e);
            throw e;
        }
        try {
            return new Transformer(graphFile, tokenizerFile, task, tokenizer, graphLoad.join(), vocabularyRows, chatTemplate);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            tokenizer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            tokenizer.close();
            throw e;
        }
    }

    /** Waits for a graph whose model failed to load otherwise and closes it; its own failure goes with the first. */
    private static void closeWhenLoaded(LoadThread<OnnxGraph> graphLoad, Throwable failure) {
        try {
            graphLoad.join().close();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    /** The file a module's graph comes from, and whether it is a checkpoint to build the graph from. */
    private record GraphFile(String path, boolean checkpoint) {}

    private static GraphFile graphFile(ModuleFolder module, TransformerOptions options) {
        ModelFiles files = module.files();
        if (options.onnxFile() != null) {
            String chosen = options.onnxFile();
            if (!files.exists(chosen)) {
                throw new ModelLoadException("the chosen ONNX file " + files.describe(chosen) + " does not exist");
            }
            boolean checkpoint = CheckpointGraph.isCheckpoint(chosen);
            if (options.checkpoint() && !checkpoint) {
                throw new ModelLoadException("the chosen file " + files.describe(chosen) + " is an ONNX file, but the "
                        + "checkpoint was asked for as well: name a checkpoint file, or do not ask for the checkpoint");
            }
            return new GraphFile(chosen, checkpoint);
        }
        List<String> names = options.quantized() ? QUANTIZED_ONNX_FILES : DEFAULT_ONNX_FILES;
        List<String> candidates = Stream.concat(names.stream(), names.stream().map(module::file))
                .distinct()
                .toList();
        Optional<String> onnx = options.checkpoint() ? Optional.empty() : candidates.stream().filter(files::exists).findFirst();
        if (onnx.isPresent()) {
            return new GraphFile(onnx.get(), false);
        }
        String lookedFor = (options.checkpoint() ? "" : "no " + (options.quantized() ? "quantized " : "")
                + "ONNX file (looked for " + String.join(", ", candidates) + ") and ")
                + "no checkpoint (looked for " + String.join(", ", CheckpointGraph.checkpointNames(module.path())) + ")";
        return CheckpointGraph.checkpointFile(files, module.path()).map(file -> new GraphFile(file, true))
                .orElseThrow(() -> new ModelLoadException(files.name() + " has " + lookedFor
                        + files.listedFiles().map(all -> "; it has " + ModelFiles.shortList(all)).orElse("")
                        + ". Export it to ONNX, or name the file to use"));
    }

    private static OnnxGraph onnxGraph(ModelFiles files, String onnxFile, String output, TransformerTask task,
            RuntimeOptions runtime) {
        Optional<Path> local = runtime.cache() == null ? files.localPath(onnxFile) : files.localCopy(onnxFile, runtime.cache());
        return local
                .map(path -> OnnxGraph.load(path, output, task.outputRank(), runtime))
                .orElseGet(() -> OnnxGraph.load(files.readAllBytes(onnxFile), files.describe(onnxFile), output,
                        task.outputRank(), runtime));
    }

    /** The graph built from the checkpoint, with the head the task runs (the class Hugging Face's pipeline for it loads). */
    private static OnnxGraph builtGraph(ModelFiles files, String checkpoint, Optional<ConfigFile> config, TransformerTask task,
            String output, TransformerOptions options, List<Integer> vocabularyRows) {
        Head head = switch (task) {
            case FEATURE_EXTRACTION -> Head.NONE;
            case FILL_MASK -> Head.MASKED_LM;
            case SEQUENCE_CLASSIFICATION -> Head.SEQUENCE_CLASSIFICATION;
            case TEXT_GENERATION -> Head.CAUSAL_LM;
            default -> throw new IllegalStateException("a " + task.configName() + " Transformer is refused before its graph is loaded");
        };
        if (!output.equals(head.output())) {
            // Only an ONNX export can have another output; the built graph computes the head's alone.
            throw config.orElseThrow().error("modality_config reads the output '" + output + "', but the graph sentence4j builds "
                    + "from " + files.describe(checkpoint) + " gives '" + head.output() + "' only");
        }
        // The built causal LM head gives the last position only, [batch, rows]; an export gives every position.
        int rank = head == Head.CAUSAL_LM ? 2 : task.outputRank();
        return OnnxGraph.load(CheckpointGraph.recipe(files, checkpoint, head, options.quantized(), vocabularyRows), output, rank,
                options.runtime());
    }

    /** Refuses settings that would make sentence-transformers give other vectors than sentence4j would. */
    private static void requireFollowed(ConfigFile config, Set<String> followedByCaller) {
        UNFOLLOWED_KEYS.forEach((key, effect) -> {
            if (!followedByCaller.contains(key) && config.field(key).filter(v -> !(v.isContainerNode() && v.isEmpty())).isPresent()) {
                throw config.error(key + " is set, which sentence4j does not follow yet (" + effect
                        + "), so it would not give the vectors sentence-transformers gives");
            }
        });
    }

    /** {@code transformer_task}: 6.x writes it; in older folders the module's type tells. */
    private static TransformerTask task(Optional<ConfigFile> config, TransformerTask expected) {
        if (config.isEmpty()) {
            return expected;
        }
        ConfigFile c = config.get();
        TransformerTask task = c.text("transformer_task").map(name -> TransformerTask.of(name).orElseThrow(() -> c.error(
                "transformer_task '" + name + "' is not one sentence-transformers knows ("
                        + Arrays.stream(TransformerTask.values()).map(TransformerTask::configName).collect(Collectors.joining(", "))
                        + ")"))).orElse(expected);
        if (task == TransformerTask.SEQUENCE_CLASSIFICATION && expected != task) {
            throw c.error("transformer_task is '" + task.configName() + "', a CrossEncoder's: load the model with CrossEncoder");
        }
        if (!RUNNABLE.contains(task) && task != expected) {
            throw c.error("transformer_task is '" + task.configName() + "'; sentence4j runs Transformer modules for "
                    + RUNNABLE.stream().map(TransformerTask::configName).collect(Collectors.joining(" and "))
                    + ", and sequence-classification for a CrossEncoder");
        }
        String feature = c.text("module_output_name").orElse(task.feature());
        if (!feature.equals(task.feature())) {
            throw c.error("module_output_name is '" + feature + "'; a " + task.configName() + " Transformer gives '"
                    + task.feature() + "', the only feature sentence4j passes on");
        }
        return task;
    }

    /**
     * The graph output to read: {@code modality_config.text.method_output_name} since 6.x, else the
     * task's. Only text through {@code forward} is supported: that is what an ONNX export runs.
     */
    private static String graphOutput(Optional<ConfigFile> config, TransformerTask task) {
        Optional<ConfigFile> modalities = config.flatMap(c -> c.object("modality_config"));
        if (modalities.isEmpty()) {
            return task.graphOutput();
        }
        ConfigFile all = modalities.get();
        ConfigFile text = all.object("text").orElseThrow(() -> all.error("modality_config has no 'text' entry (it has "
                + String.join(", ", (Iterable<String>) all.root()::fieldNames) + "); sentence4j encodes text only"));
        String method = text.text("method").orElse("forward");
        if (!method.equals("forward")) {
            throw text.error(text.key("method") + " is '" + method + "'; an ONNX export runs the model's forward only");
        }
        return text.text("method_output_name").orElse(task.graphOutput());
    }

    /**
     * Refuses a model whose {@code config.json} or {@code tokenizer_config.json} has an {@code auto_map}:
     * its model or tokenizer is custom Python code that sentence-transformers runs only with
     * {@code trust_remote_code=True}, so what it computes cannot be known from the files sentence4j reads.
     */
    private static void requireNoCustomCode(Optional<ConfigFile> config) {
        config.ifPresent(c -> c.field("auto_map").ifPresent(map -> {
            throw c.error("auto_map " + map + " names custom code, which sentence-transformers loads only with "
                    + "trust_remote_code=True; sentence4j runs no custom code");
        }));
    }

    /**
     * Truncation length, lowercasing and padding side, as sentence-transformers sets up the tokenizer:
     * an explicit {@code max_seq_length} (folders before 6.x) or {@code model_max_length} among the
     * tokenizer arguments is used as given; otherwise {@code tokenizer_config.json}'s
     * {@code model_max_length}, lowered to the model's position embeddings. An explicit length beyond
     * them, which the model could not run, is lowered too, with a warning.
     */
    private static TokenizerSettings tokenizerSettings(ModuleFolder module, Optional<ConfigFile> config,
            Optional<ConfigFile> modelConfig, Optional<ConfigFile> tokenizerConfig) {
        Optional<ConfigFile> tokenizerArgs = config.flatMap(c -> c.object("processor_kwargs").or(() -> c.object("tokenizer_args")));
        Optional<Integer> positions = positions(modelConfig);
        Optional<ConfigFile> withMaxSeqLength = config.filter(c -> c.field("max_seq_length").isPresent());
        Optional<ConfigFile> withModelMaxLength = tokenizerArgs.filter(a -> a.field("model_max_length").isPresent());
        int maxSeqLength;
        if (withMaxSeqLength.isPresent()) {
            maxSeqLength = explicitLength(withMaxSeqLength.get(), "max_seq_length", positions);
        } else if (withModelMaxLength.isPresent()) {
            maxSeqLength = explicitLength(withModelMaxLength.get(), "model_max_length", positions);
        } else {
            Optional<Integer> tokenizerMax = tokenizerConfig.flatMap(c -> c.field("model_max_length")
                    .filter(JsonNode::canConvertToInt)
                    .map(v -> atLeastTwo(c, "model_max_length", v.intValue())));
            maxSeqLength = tokenizerMax.map(t -> positions.map(p -> Math.min(t, p)).orElse(t))
                    .or(() -> positions)
                    .orElseThrow(() -> new ModelLoadException(module.files().name() + ": cannot tell the maximum sequence length: "
                            + "no max_seq_length in " + SETTINGS_FILES.get(0)
                            + ", no model_max_length in tokenizer_config.json, no max_position_embeddings in config.json"));
        }
        boolean lowerCase = config.flatMap(c -> c.bool("do_lower_case")).orElse(false);
        PaddingSide paddingSide = paddingSide(tokenizerArgs.filter(a -> a.has("padding_side")).or(() -> tokenizerConfig));
        return new TokenizerSettings(maxSeqLength, lowerCase, paddingSide);
    }

    /**
     * A length the folder sets itself, which sentence-transformers uses as given; where the position
     * embeddings cannot hold it (issue 14: ONNX Runtime then failed on longer texts), lowered to them.
     */
    private static int explicitLength(ConfigFile config, String key, Optional<Integer> positions) {
        int length = atLeastTwo(config, key, config.integer(key).orElseThrow());
        if (positions.isPresent() && length > positions.get()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} is {2}, more than the {3} tokens the model''s position "
                    + "embeddings hold (config.json max_position_embeddings); texts are truncated at {3}",
                    config.source(), config.key(key), Integer.toString(length), Integer.toString(positions.get()));
            return positions.get();
        }
        return length;
    }

    private static int atLeastTwo(ConfigFile config, String key, int length) {
        if (length < 2) {
            throw config.error(config.key(key) + " must be at least 2, room for the special tokens; got " + length);
        }
        return length;
    }

    /**
     * How many tokens the model's position embeddings hold ({@code max_position_embeddings}; none if
     * missing or -1). RoBERTa-style models number positions from after the padding index, so the first
     * {@code pad_token_id + 1} of them hold no token.
     */
    private static Optional<Integer> positions(Optional<ConfigFile> modelConfig) {
        if (modelConfig.isEmpty()) {
            return Optional.empty();
        }
        ConfigFile config = modelConfig.get();
        Optional<Integer> positions = config.integer("max_position_embeddings").filter(p -> p != -1);
        int offset = POSITIONS_AFTER_PADDING.contains(config.text("model_type").orElse(""))
                ? config.integer("pad_token_id").orElse(1) + 1
                : 0;
        return positions.map(p -> atLeastTwo(config, "max_position_embeddings", p - offset));
    }

    /** {@code padding_side}, from the tokenizer arguments or {@code tokenizer_config.json}: right unless it says left. */
    private static PaddingSide paddingSide(Optional<ConfigFile> config) {
        String side = config.flatMap(c -> c.text("padding_side")).orElse("right");
        switch (side) {
            case "right":
                return PaddingSide.RIGHT;
            case "left":
                return PaddingSide.LEFT;
            default:
                throw config.get().error("field '" + config.get().key("padding_side") + "' must be 'left' or 'right', got '"
                        + side + "'");
        }
    }

    private static Tokenizer tokenizer(ModelFiles files, String path, TokenizerSettings settings) {
        try (InputStream in = files.open(path)) {
            return Tokenizer.load(in, files.describe(path), settings);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + files.describe(path) + ": " + e.getMessage(), e);
        }
    }

    /** What the model does ({@code transformer_task}). */
    public TransformerTask task() {
        return task;
    }

    /** The tokenizer, with the module's truncation and lowercasing. */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The ONNX file in use, as a path inside the model; for a graph built from the checkpoint, the
     * checkpoint file (which {@link TransformerOptions#onnxFile()} accepts back).
     */
    public String onnxFile() {
        return graphFile.path();
    }

    /** Whether the graph is one sentence4j built from the model's checkpoint, rather than an ONNX export. */
    public boolean builtFromCheckpoint() {
        return graphFile.checkpoint();
    }

    /** The {@code tokenizer.json} in use, as a path inside the model. */
    public String tokenizerFile() {
        return tokenizerFile;
    }

    /** The graph's inputs, in its order. */
    public List<String> inputNames() {
        return graph.inputNames();
    }

    /** The name of the graph output read as token embeddings. */
    public String outputName() {
        return graph.outputName();
    }

    /**
     * The size of each output vector as the graph declares it: the hidden size, the vocabulary for a
     * fill-mask model, the labels for a sequence-classification one; -1 when the graph leaves it open.
     */
    public int hiddenSize() {
        return graph.hiddenSize();
    }

    /** Where the graph came from, for messages. */
    @Override
    public String source() {
        return graph.source();
    }

    /**
     * Runs the graph on a batch.
     *
     * @throws IllegalStateException if ONNX Runtime fails or returns a shape that is not
     *     {@code [batch, tokens, hidden]}
     */
    public TokenEmbeddings run(BatchEncoding batch) {
        try {
            return graph.run(batch);
        } catch (NonFiniteOutputException e) {
            throw e.naming(text(batch, e.row()));
        }
    }

    /**
     * Runs a sequence-classification graph on a batch: the classifier's logits, {@code [batch][labels]}.
     *
     * @throws IllegalStateException if the module is not sequence classification, or ONNX Runtime fails
     */
    public float[][] scores(BatchEncoding batch) {
        try {
            return graph.scores(batch);
        } catch (NonFiniteOutputException e) {
            throw e.naming(text(batch, e.row()));
        }
    }

    /** A row's text as its tokens spell it, cut short for a message. */
    private String text(BatchEncoding batch, int row) {
        String text = tokenizer.decode(batch.inputIds(row));
        return text.length() <= 80 ? text : text.substring(0, 79) + "…";
    }

    /**
     * For an LLM reranker: the language-model head's logits of the rows it was read for, at each row's
     * last position (the batch is left padded), {@code [batch][rows]}.
     *
     * @throws IllegalStateException if the module is not text generation, or ONNX Runtime fails
     */
    public float[][] lastTokenLogits(BatchEncoding batch) {
        return lastTokenLogits(batch, EXPORT_LOGITS_PER_RUN);
    }

    /** As {@link #lastTokenLogits(BatchEncoding)}, an export's runs giving at most about {@code logitsPerRun} logits each. */
    float[][] lastTokenLogits(BatchEncoding batch, long logitsPerRun) {
        if (task != TransformerTask.TEXT_GENERATION) {
            throw new IllegalStateException(source() + " is " + task.configName() + ", not a causal language model");
        }
        if (graphFile.checkpoint()) {
            return scores(batch);
        }
        // An export computes the whole head at every position: [rows, tokens, vocabulary] floats a run,
        // which for Qwen3's 151,669 rows is 0.6 MB a token, so a batch runs in parts that stay under a bound.
        int vocabulary = graph.hiddenSize();
        long perRow = (long) batch.sequenceLength() * (vocabulary > 0 ? vocabulary : 1 << 18);
        int rowsPerRun = (int) Math.max(1, Math.min(batch.batchSize(), logitsPerRun / perRow));
        float[][] rows = new float[batch.batchSize()][];
        for (int from = 0; from < rows.length; from += rowsPerRun) {
            int to = Math.min(rows.length, from + rowsPerRun);
            BatchEncoding part = rowsOf(batch, from, to);
            TokenEmbeddings logits = run(part);
            for (int b = from; b < to; b++) {
                // Left padded: the last column is every row's last real token.
                int last = logits.offset(b - from, part.sequenceLength() - 1);
                rows[b] = new float[vocabularyRows.size()];
                for (int r = 0; r < vocabularyRows.size(); r++) {
                    int row = vocabularyRows.get(r);
                    if (row >= logits.hiddenSize()) {
                        throw new IllegalStateException(source() + " gives " + logits.hiddenSize() + " logits per token, none for "
                                + "vocabulary id " + row);
                    }
                    rows[b][r] = logits.values()[last + row];
                }
            }
        }
        return rows;
    }

    /** Rows {@code from} (inclusive) to {@code to} of a batch, padded as they were; the batch itself when that is all of it. */
    private static BatchEncoding rowsOf(BatchEncoding batch, int from, int to) {
        if (from == 0 && to == batch.batchSize()) {
            return batch;
        }
        int length = batch.sequenceLength();
        return new BatchEncoding(Arrays.copyOfRange(batch.inputIds(), from * length, to * length),
                Arrays.copyOfRange(batch.attentionMask(), from * length, to * length),
                Arrays.copyOfRange(batch.tokenTypeIds(), from * length, to * length), to - from, length);
    }

    /** The chat template pairs are rendered with, for an LLM reranker whose folder asks for one. */
    @Override
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /**
     * Token vectors, masked-LM logits, for sequence classification the classifier's scores or, for a
     * causal LM (an LLM reranker), the last position's logits of the vocabulary rows it was read for.
     */
    @Override
    public Features features(BatchEncoding batch) {
        return switch (task) {
            case SEQUENCE_CLASSIFICATION -> Features.ofScores(scores(batch));
            case TEXT_GENERATION -> Features.ofCausalLogits(lastTokenLogits(batch));
            default -> Features.ofTokens(run(batch));
        };
    }

    @Override
    public Feature gives() {
        return switch (task) {
            case SEQUENCE_CLASSIFICATION -> Feature.SCORES;
            case FILL_MASK -> Feature.TOKEN_LOGITS;
            case TEXT_GENERATION -> Feature.CAUSAL_LOGITS;
            default -> Feature.TOKEN_EMBEDDINGS;
        };
    }

    @Override
    public int width() {
        return task == TransformerTask.TEXT_GENERATION ? vocabularyRows.size() : Math.max(0, hiddenSize());
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("transformer_task", task.configName());
        facts.put("graph", builtFromCheckpoint() ? "built by sentence4j from the checkpoint" : "ONNX export");
        facts.put("onnx_file", onnxFile());
        facts.put("tokenizer_file", tokenizerFile());
        facts.put("onnx_inputs", inputNames());
        facts.put("onnx_output", outputName());
        return facts;
    }

    @Override
    public void close() {
        try {
            graph.close();
        } finally {
            tokenizer.close();
        }
    }
}
