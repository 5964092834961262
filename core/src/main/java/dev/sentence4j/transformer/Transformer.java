package dev.sentence4j.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code Transformer} module: the model's tokenizer and its transformer as an ONNX graph, with the
 * settings of its {@code sentence_bert_config.json}, {@code tokenizer_config.json} and
 * {@code config.json}. Gives token embeddings {@code [batch, tokens, hidden]} ({@link #run}; for a
 * fill-mask model, the masked-LM logits {@code [batch, tokens, vocabulary]}), or for a
 * sequence-classification model the classifier's logits {@code [batch, labels]} ({@link #scores}).
 * Thread-safe.
 */
public final class Transformer implements AutoCloseable {
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
    private static final String TOKENIZER = "tokenizer.json";
    /** The tasks sentence4j runs: one vector per token ({@link #run}), or one row of logits per text ({@link #scores}). */
    private static final Set<TransformerTask> RUNNABLE = EnumSet.of(TransformerTask.FEATURE_EXTRACTION, TransformerTask.FILL_MASK,
            TransformerTask.SEQUENCE_CLASSIFICATION);
    /** Multi-vector settings that change how texts are tokenized, and processing overrides sentence4j does not follow. */
    private static final List<String> UNSUPPORTED_KEYS = List.of("query_length", "document_length", "query_expansion",
            "processing_kwargs");

    private final String onnxFile;
    private final String tokenizerFile;
    private final TransformerTask task;
    private final Tokenizer tokenizer;
    private final OnnxGraph graph;

    private Transformer(String onnxFile, String tokenizerFile, TransformerTask task, Tokenizer tokenizer, OnnxGraph graph) {
        this.onnxFile = onnxFile;
        this.tokenizerFile = tokenizerFile;
        this.task = task;
        this.tokenizer = tokenizer;
        this.graph = graph;
    }

    /**
     * Reads a Transformer module: its settings, its {@code tokenizer.json} and its ONNX graph.
     *
     * @throws ModelLoadException naming the file and what is wrong when the module cannot be loaded
     */
    public static Transformer read(ModuleFolder module, TransformerOptions options) {
        return read(module, options, TransformerTask.FEATURE_EXTRACTION);
    }

    /**
     * Reads a Transformer module whose folder may not say what it does: sentence-transformers makes a
     * CrossEncoder's default module a sequence-classification Transformer, and an {@code MLMTransformer}
     * is a fill-mask one.
     *
     * @param defaultTask the task when {@code sentence_bert_config.json} names none
     * @throws ModelLoadException naming the file and what is wrong when the module cannot be loaded
     */
    public static Transformer read(ModuleFolder module, TransformerOptions options, TransformerTask defaultTask) {
        ModelFiles files = module.files();
        String onnxFile = onnxFile(module, options);
        Optional<ConfigFile> config = SETTINGS_FILES.stream().filter(module::exists).findFirst().map(module::config);
        TransformerTask task = task(config, defaultTask);
        String graphOutput = graphOutput(config, task);
        TokenizerSettings settings = tokenizerSettings(module, config);
        String tokenizerFile = Stream.of(module.file(TOKENIZER), TOKENIZER)
                .filter(files::exists).findFirst()
                .orElseThrow(() -> new ModelLoadException(files.describe(TOKENIZER)
                        + " is missing; sentence4j needs the model's fast-tokenizer file"));
        Tokenizer tokenizer = tokenizer(files, tokenizerFile, settings);
        try {
            RuntimeOptions runtime = options.runtime();
            Optional<Path> local = runtime.cache() == null ? files.localPath(onnxFile) : files.localCopy(onnxFile, runtime.cache());
            OnnxGraph graph = local
                    .map(path -> OnnxGraph.load(path, graphOutput, task.outputRank(), runtime))
                    .orElseGet(() -> OnnxGraph.load(files.readAllBytes(onnxFile), files.describe(onnxFile), graphOutput,
                            task.outputRank(), runtime));
            return new Transformer(onnxFile, tokenizerFile, task, tokenizer, graph);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            tokenizer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static String onnxFile(ModuleFolder module, TransformerOptions options) {
        ModelFiles files = module.files();
        if (options.onnxFile() != null) {
            if (!files.exists(options.onnxFile())) {
                throw new ModelLoadException("the chosen ONNX file " + files.describe(options.onnxFile()) + " does not exist");
            }
            return options.onnxFile();
        }
        List<String> names = options.quantized() ? QUANTIZED_ONNX_FILES : DEFAULT_ONNX_FILES;
        List<String> candidates = Stream.concat(names.stream(), names.stream().map(module::file))
                .distinct()
                .toList();
        return candidates.stream().filter(files::exists).findFirst()
                .orElseThrow(() -> new ModelLoadException(files.name() + " has no " + (options.quantized() ? "quantized " : "")
                        + "ONNX file: looked for "
                        + String.join(", ", candidates) + "; export the model to ONNX, or name the file to use"));
    }

    /** {@code transformer_task}: 6.x writes it; in older folders the module's type tells. */
    private static TransformerTask task(Optional<ConfigFile> config, TransformerTask defaultTask) {
        if (config.isEmpty()) {
            return defaultTask;
        }
        ConfigFile c = config.get();
        for (String key : UNSUPPORTED_KEYS) {
            if (c.field(key).filter(v -> !(v.isContainerNode() && v.isEmpty())).isPresent()) {
                throw c.error(key + " is set; sentence4j does not implement it (it changes how texts are tokenized "
                        + "for multi-vector models), so it would not give the vectors sentence-transformers gives");
            }
        }
        TransformerTask task = c.text("transformer_task").map(name -> TransformerTask.of(name).orElseThrow(() -> c.error(
                "transformer_task '" + name + "' is not one sentence-transformers knows ("
                        + Arrays.stream(TransformerTask.values()).map(TransformerTask::configName).collect(Collectors.joining(", "))
                        + ")"))).orElse(defaultTask);
        if (!RUNNABLE.contains(task)) {
            throw c.error("transformer_task is '" + task.configName() + "'; sentence4j runs Transformer modules for "
                    + RUNNABLE.stream().map(TransformerTask::configName).collect(Collectors.joining(" and ")) + " only");
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
     * Truncation length and lowercasing, as sentence-transformers sets up the tokenizer: an explicit
     * {@code max_seq_length} (older folders) or {@code model_max_length} among the tokenizer arguments
     * is used as given; otherwise {@code tokenizer_config.json}'s {@code model_max_length}, lowered to
     * {@code config.json}'s {@code max_position_embeddings}.
     */
    private static TokenizerSettings tokenizerSettings(ModuleFolder module, Optional<ConfigFile> config) {
        Optional<ConfigFile> tokenizerArgs = config.flatMap(c -> c.object("processor_kwargs").or(() -> c.object("tokenizer_args")));
        Optional<Integer> explicit = config.flatMap(c -> c.integer("max_seq_length"))
                .or(() -> tokenizerArgs.flatMap(a -> a.integer("model_max_length")));
        boolean lowerCase = config.flatMap(c -> c.bool("do_lower_case")).orElse(false);
        int maxSeqLength = explicit.orElseGet(() -> defaultMaxSeqLength(module));
        try {
            return new TokenizerSettings(maxSeqLength, lowerCase);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(config.map(ConfigFile::source).orElse(module.files().name()) + ": " + e.getMessage());
        }
    }

    /** As sentence-transformers: the smaller of the tokenizer's and the position embeddings' limits. */
    private static int defaultMaxSeqLength(ModuleFolder module) {
        Optional<Integer> tokenizerMax = module.configIfExists("tokenizer_config.json")
                .flatMap(c -> c.field("model_max_length"))
                .filter(JsonNode::canConvertToInt)
                .map(JsonNode::intValue);
        Optional<Integer> positions = module.configIfExists("config.json")
                .flatMap(c -> c.integer("max_position_embeddings"))
                .filter(p -> p != -1);
        return tokenizerMax.map(t -> positions.map(p -> Math.min(t, p)).orElse(t))
                .or(() -> positions)
                .orElseThrow(() -> new ModelLoadException(module.files().name() + ": cannot tell the maximum sequence length: "
                        + "no max_seq_length in " + SETTINGS_FILES.get(0)
                        + ", no model_max_length in tokenizer_config.json, no max_position_embeddings in config.json"));
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
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The ONNX file in use, as a path inside the model. */
    public String onnxFile() {
        return onnxFile;
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
        return graph.run(batch);
    }

    /**
     * Runs a sequence-classification graph on a batch: the classifier's logits, {@code [batch][labels]}.
     *
     * @throws IllegalStateException if the module is not sequence classification, or ONNX Runtime fails
     */
    public float[][] scores(BatchEncoding batch) {
        return graph.scores(batch);
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
