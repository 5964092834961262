package dev.sentence4j;

import dev.sentence4j.graph.CheckpointGraph;
import dev.sentence4j.graph.Head;
import dev.sentence4j.hub.Hub;
import dev.sentence4j.model.ModelConfig;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.transformer.RuntimeOptions;
import dev.sentence4j.transformer.Transformer;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * A sentence-transformers model: tokenizer, transformer, pooling and optional normalization, loaded
 * from a model folder or by id. {@link #encode} gives the vectors Python's sentence-transformers gives.
 * Thread-safe; close it to free the native resources.
 *
 * <pre>{@code
 * try (SentenceTransformer model = SentenceTransformer.load("sentence-transformers/all-MiniLM-L6-v2")) {
 *     float[][] vectors = model.encode(List.of("A man is playing a guitar.", "Someone plays guitar."));
 *     float[][] scores = model.similarity(vectors, vectors);
 * }
 * }</pre>
 */
public final class SentenceTransformer implements AutoCloseable {
    private static final List<String> DEFAULT_ONNX_FILES = List.of("onnx/model.onnx", "model.onnx");
    /** The names Hugging Face's ONNX exports give int8 files, most portable first. */
    private static final List<String> QUANTIZED_ONNX_FILES = List.of("onnx/model_quantized.onnx", "onnx/model_int8.onnx",
            "onnx/model_qint8_avx2.onnx", "onnx/model_quint8_avx2.onnx", "onnx/model_qint8_avx512_vnni.onnx",
            "onnx/model_qint8_avx512.onnx", "onnx/model_qint8_arm64.onnx", "model_quantized.onnx");

    private final ModelFiles files;
    private final ModelConfig config;
    private final Weights weights;
    private final String tokenizerFile;
    private final Tokenizer tokenizer;
    private final Transformer transformer;
    private final Workers workers;
    /** Held by every encode call, taken whole by close: native resources are freed only once no call uses them. */
    private final ReadWriteLock use = new ReentrantReadWriteLock();
    private boolean closed;

    private SentenceTransformer(ModelFiles files, ModelConfig config, Weights weights, String tokenizerFile,
            Tokenizer tokenizer, Transformer transformer, Workers workers) {
        this.files = files;
        this.config = config;
        this.weights = weights;
        this.tokenizerFile = tokenizerFile;
        this.tokenizer = tokenizer;
        this.transformer = transformer;
        this.workers = workers;
    }

    /**
     * Loads a model from a local folder laid out as a Hugging Face sentence-transformers repository,
     * by the id of a built-in model ({@code sentence-transformers/all-MiniLM-L6-v2},
     * {@code BAAI/bge-small-en-v1.5}), or by any Hugging Face Hub id whose repository has an ONNX
     * export or a checkpoint of a supported architecture: downloaded once into the Hugging Face cache,
     * then loaded from there (see
     * {@link ModelFiles#resolve(String, String, Hub)}).
     *
     * @throws ModelLoadException naming the file and what is wrong when the model cannot be loaded
     */
    public static SentenceTransformer load(String folderOrId) {
        return load(folderOrId, LoadOptions.defaults());
    }

    /** Loads a model as {@link #load(String)} does, with options. */
    public static SentenceTransformer load(String folderOrId, LoadOptions options) {
        return load(ModelFiles.resolve(folderOrId, options.revision(), Hub.fromEnvironment()), options);
    }

    /**
     * Loads a model from its files: the transformer runs its ONNX export when it has one (unless
     * {@link LoadOptions#checkpoint()} asks otherwise), else a graph built from its checkpoint
     * ({@code model.safetensors}, {@code pytorch_model.bin}) by {@link CheckpointGraph}.
     */
    public static SentenceTransformer load(ModelFiles files, LoadOptions options) {
        ModelConfig config = ModelConfig.read(files);
        Weights weights = weights(files, config, options);
        String tokenizerFile = tokenizerFile(files, config);
        Tokenizer tokenizer = tokenizer(files, tokenizerFile, config);
        try {
            // One thread per run, several runs at once: on small batches this beats splitting each
            // matrix product across cores (see BENCHMARKS.md).
            RuntimeOptions runtime = new RuntimeOptions(1, options.cacheDirectory());
            Transformer transformer = weights.checkpoint()
                    ? Transformer.load(CheckpointGraph.recipe(files, weights.file(), Head.NONE, options.quantized()),
                            runtime)
                    : onnx(files, weights.file(), runtime);
            int hidden = transformer.hiddenSize();
            if (hidden > 0 && hidden != config.pooling().dimension()) {
                transformer.close();
                throw new ModelLoadException(files.describe(weights.file()) + " makes token vectors of " + hidden
                        + " values but the pooling configuration expects " + config.pooling().dimension());
            }
            int workers = options.threads() > 0 ? options.threads() : RuntimeOptions.physicalCores();
            return new SentenceTransformer(files, config, weights, tokenizerFile, tokenizer, transformer, new Workers(workers));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            tokenizer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static Transformer onnx(ModelFiles files, String onnxFile, RuntimeOptions runtime) {
        Optional<Path> local = runtime.cache() == null ? files.localPath(onnxFile) : files.localCopy(onnxFile, runtime.cache());
        return local.map(path -> Transformer.load(path, runtime))
                .orElseGet(() -> Transformer.load(files.readAllBytes(onnxFile), files.describe(onnxFile), runtime));
    }

    /** The file the transformer's weights come from, and whether it is a checkpoint to build a graph from. */
    private record Weights(String file, boolean checkpoint) {}

    private static Weights weights(ModelFiles files, ModelConfig config, LoadOptions options) {
        if (options.chosenOnnxFile().isPresent()) {
            String chosen = options.chosenOnnxFile().get();
            if (!files.exists(chosen)) {
                throw new ModelLoadException("the chosen ONNX file " + files.describe(chosen) + " does not exist");
            }
            return new Weights(chosen, CheckpointGraph.isCheckpoint(chosen));
        }
        String folder = config.transformer().path();
        List<String> names = options.quantized() ? QUANTIZED_ONNX_FILES : DEFAULT_ONNX_FILES;
        List<String> candidates = Stream.concat(names.stream(), names.stream().map(config.transformer()::file))
                .distinct()
                .toList();
        Optional<String> onnx = options.checkpoint() ? Optional.empty() : candidates.stream().filter(files::exists).findFirst();
        if (onnx.isPresent()) {
            return new Weights(onnx.get(), false);
        }
        String lookedFor = (options.checkpoint() ? "" : "no " + (options.quantized() ? "quantized " : "") + "ONNX file (looked for "
                + String.join(", ", candidates) + ") and ") + "no checkpoint (looked for "
                + String.join(", ", CheckpointGraph.checkpointNames(folder)) + ")";
        return CheckpointGraph.checkpointFile(files, folder).map(file -> new Weights(file, true))
                .orElseThrow(() -> new ModelLoadException(files.name() + " has " + lookedFor
                        + files.listedFiles().map(all -> "; it has " + ModelFiles.shortList(all)).orElse("")
                        + ". Export it to ONNX, or name the file to use"));
    }

    private static String tokenizerFile(ModelFiles files, ModelConfig config) {
        return Stream.of(config.transformer().file("tokenizer.json"), "tokenizer.json")
                .filter(files::exists).findFirst()
                .orElseThrow(() -> new ModelLoadException(files.describe("tokenizer.json")
                        + " is missing; sentence4j needs the model's fast-tokenizer file"));
    }

    private static Tokenizer tokenizer(ModelFiles files, String path, ModelConfig config) {
        try (InputStream in = files.open(path)) {
            return Tokenizer.load(in, files.describe(path), config.tokenizer());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + files.describe(path) + ": " + e.getMessage(), e);
        }
    }

    /** Encodes one text into its sentence vector. */
    public float[] encode(String text) {
        return encode(List.of(text))[0];
    }

    /** Encodes texts into sentence vectors, one row per text in order, with the default options. */
    public float[][] encode(List<String> texts) {
        return encode(texts, EncodeOptions.defaults());
    }

    /**
     * Encodes texts into sentence vectors, one row per text in order. Texts are batched longest
     * first, as sentence-transformers does, so each batch carries little padding. An empty list gives
     * an empty result; an empty text is valid.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name or a truncate dim larger than the model's
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public float[][] encode(List<String> texts, EncodeOptions options) {
        return encodeWithDetails(texts, options).vectors();
    }

    /** Encodes as {@link #encode(List, EncodeOptions)} does, also reporting each text's token count and truncation. */
    public EncodeResult encodeWithDetails(List<String> texts, EncodeOptions options) {
        use.readLock().lock();
        try {
            requireOpen();
            return new EncodeRun(config, tokenizer, transformer, workers, options).vectors(texts);
        } finally {
            use.readLock().unlock();
        }
    }

    /**
     * The transformer's token embeddings of each text, {@code [tokens][hidden]} without padding,
     * before pooling; long texts are truncated.
     */
    public List<float[][]> encodeTokens(List<String> texts, EncodeOptions options) {
        use.readLock().lock();
        try {
            requireOpen();
            return new EncodeRun(config, tokenizer, transformer, workers, options).tokenEmbeddings(texts);
        } finally {
            use.readLock().unlock();
        }
    }

    /**
     * Encodes search queries: with the model's prompt named {@code query} when it has one, else as
     * {@link #encode(List)}.
     */
    public float[][] encodeQuery(List<String> texts) {
        return encode(texts, withPromptIfPresent(EncodeOptions.defaults(), "query"));
    }

    /**
     * Encodes documents to search: with the model's prompt named {@code document}, {@code passage} or
     * {@code corpus}, the first it has, else as {@link #encode(List)}.
     */
    public float[][] encodeDocument(List<String> texts) {
        return encode(texts, withPromptIfPresent(EncodeOptions.defaults(), "document", "passage", "corpus"));
    }

    private EncodeOptions withPromptIfPresent(EncodeOptions options, String... names) {
        for (String name : names) {
            if (config.prompts().containsKey(name)) {
                return options.withPromptName(name);
            }
        }
        return options;
    }

    /** Scores of every vector of {@code a} against every vector of {@code b}, by the model's similarity function. */
    public float[][] similarity(float[][] a, float[][] b) {
        return config.similarityFunction().matrix(a, b);
    }

    /** Scores of {@code a[i]} against {@code b[i]}, by the model's similarity function. */
    public float[] similarityPairwise(float[][] a, float[][] b) {
        return config.similarityFunction().pairwise(a, b);
    }

    /** The model's name: its folder or id. */
    public String name() {
        return files.name();
    }

    /** The model's files. */
    public ModelFiles files() {
        return files;
    }

    /** What the model's configuration files say. */
    public ModelConfig config() {
        return config;
    }

    /**
     * The ONNX file in use, as a path inside the model; for a graph built from the checkpoint, the
     * checkpoint file (which {@link LoadOptions#withOnnxFile} accepts back).
     */
    public String onnxFile() {
        return weights.file();
    }

    /** Whether the transformer runs a graph sentence4j built from the model's checkpoint, rather than an ONNX export. */
    public boolean builtFromCheckpoint() {
        return weights.checkpoint();
    }

    /** The {@code tokenizer.json} in use, as a path inside the model. */
    public String tokenizerFile() {
        return tokenizerFile;
    }

    /** The tokenizer stage. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The transformer stage. */
    public Transformer transformer() {
        return transformer;
    }

    /** The pooling stage. */
    public Pooling pooling() {
        return config.pooling();
    }

    /** The length of the vectors {@link #encode} returns. */
    public int dimension() {
        return config.dimension();
    }

    /** The model's similarity function ({@code similarity_fn_name}, cosine by default). */
    public SimilarityFunction similarityFunction() {
        return config.similarityFunction();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(files.name() + " is closed");
        }
    }

    /**
     * Frees the model's native resources. Calls in progress finish their running batches and fail;
     * later calls fail. Closing again does nothing.
     */
    @Override
    public void close() {
        workers.close();
        use.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                transformer.close();
            } finally {
                tokenizer.close();
            }
        } finally {
            use.writeLock().unlock();
        }
    }
}
