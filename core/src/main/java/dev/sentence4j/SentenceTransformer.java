package dev.sentence4j;

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
import java.util.Objects;
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
    private final String onnxFile;
    private final String tokenizerFile;
    private final Tokenizer tokenizer;
    private final Transformer transformer;
    private final Workers workers;
    /** Held by every encode call, taken whole by close: native resources are freed only once no call uses them. */
    private final ReadWriteLock use = new ReentrantReadWriteLock();
    private boolean closed;

    private SentenceTransformer(ModelFiles files, ModelConfig config, String onnxFile, String tokenizerFile,
            Tokenizer tokenizer, Transformer transformer, Workers workers) {
        this.files = files;
        this.config = config;
        this.onnxFile = onnxFile;
        this.tokenizerFile = tokenizerFile;
        this.tokenizer = tokenizer;
        this.transformer = transformer;
        this.workers = workers;
    }

    /**
     * Loads a model from a local folder laid out as a Hugging Face sentence-transformers repository,
     * by the id of a built-in model ({@code sentence-transformers/all-MiniLM-L6-v2},
     * {@code BAAI/bge-small-en-v1.5}), or by any Hugging Face Hub id whose repository has an ONNX
     * export: downloaded once into the Hugging Face cache, then loaded from there (see
     * {@link ModelFiles#resolve(String, String, Hub)}).
     *
     * @throws ModelLoadException naming the file and what is wrong when the model cannot be loaded
     */
    public static SentenceTransformer load(String folderOrId) {
        return load(folderOrId, LoadOptions.defaults());
    }

    /**
     * Loads a model as {@link #load(String)} does, with options: a Hub model at the options' revision,
     * found with their Hub settings.
     */
    public static SentenceTransformer load(String folderOrId, LoadOptions options) {
        return load(ModelFiles.resolve(folderOrId, options.revision(), options.hub()), options);
    }

    /**
     * Loads a model from files found already. Their revision is the one they were found at
     * ({@link ModelFiles#resolve(String, String, Hub)}), so options naming another are refused; the
     * options' Hub settings are not needed.
     *
     * @throws IllegalArgumentException if the options name a revision the files are not at
     */
    public static SentenceTransformer load(ModelFiles files, LoadOptions options) {
        if (options.revision() != null && !files.revision().equals(Optional.of(options.revision()))) {
            throw new IllegalArgumentException("the options ask for revision '" + options.revision() + "' but the files of "
                    + files.name() + (files.revision().map(r -> " are at revision '" + r + "'").orElse(" have no revision"))
                    + "; find them at that revision with ModelFiles.resolve(id, revision, hub), or load by id");
        }
        ModelConfig config = ModelConfig.read(files);
        String onnxFile = onnxFile(files, config, options);
        String tokenizerFile = tokenizerFile(files, config);
        Tokenizer tokenizer = tokenizer(files, tokenizerFile, config);
        try {
            Path cache = options.cacheDirectory();
            // One thread per run, several runs at once: on small batches this beats splitting each
            // matrix product across cores (see BENCHMARKS.md).
            RuntimeOptions runtime = new RuntimeOptions(1, cache);
            Optional<Path> local = cache == null ? files.localPath(onnxFile) : files.localCopy(onnxFile, cache);
            Transformer transformer = local
                    .map(path -> Transformer.load(path, runtime))
                    .orElseGet(() -> Transformer.load(files.readAllBytes(onnxFile), files.describe(onnxFile), runtime));
            int hidden = transformer.hiddenSize();
            if (hidden > 0 && hidden != config.pooling().dimension()) {
                transformer.close();
                throw new ModelLoadException(files.describe(onnxFile) + " makes token vectors of " + hidden
                        + " values but the pooling configuration expects " + config.pooling().dimension());
            }
            int workers = options.threads() > 0 ? options.threads() : RuntimeOptions.physicalCores();
            return new SentenceTransformer(files, config, onnxFile, tokenizerFile, tokenizer, transformer, new Workers(workers));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            tokenizer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static String onnxFile(ModelFiles files, ModelConfig config, LoadOptions options) {
        if (options.chosenOnnxFile().isPresent()) {
            String chosen = options.chosenOnnxFile().get();
            if (!files.exists(chosen)) {
                throw new ModelLoadException("the chosen ONNX file " + files.describe(chosen) + " does not exist");
            }
            return chosen;
        }
        List<String> names = options.quantized() ? QUANTIZED_ONNX_FILES : DEFAULT_ONNX_FILES;
        List<String> candidates = Stream.concat(names.stream(), names.stream().map(config.transformer()::file))
                .distinct()
                .toList();
        return candidates.stream().filter(files::exists).findFirst()
                .orElseThrow(() -> new ModelLoadException(files.name() + " has no " + (options.quantized() ? "quantized " : "")
                        + "ONNX file: looked for "
                        + String.join(", ", candidates) + "; export the model to ONNX, or name the file to use"));
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
        return encodeWithDetails(tokenize(texts, options));
    }

    /**
     * Makes texts ready for {@link #encodeWithDetails(TokenizedTexts)}: each with the prompt the options
     * call for ({@link #prompt}), tokenized once, its token count known before anything is encoded.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name or a truncate dim larger than the model's
     */
    public TokenizedTexts tokenize(List<String> texts, EncodeOptions options) {
        for (int i = 0; i < texts.size(); i++) {
            int index = i;
            Objects.requireNonNull(texts.get(i), () -> "text " + index + " is null");
        }
        if (options.truncateDim() > dimension()) {
            throw new IllegalArgumentException("truncate dim " + options.truncateDim() + " exceeds the model's " + dimension()
                    + " dimensions");
        }
        String prompt = prompt(options).orElse(null);
        List<String> given = List.copyOf(texts);
        List<String> inputs = prompt == null ? given : given.stream().map(t -> prompt + t).toList();
        use.readLock().lock();
        try {
            requireOpen();
            int promptLength = prompt == null ? 0 : tokenizer.promptLength(prompt);
            return new TokenizedTexts(tokenizer, given, inputs, tokenizer.tokenize(inputs), promptLength, options);
        } finally {
            use.readLock().unlock();
        }
    }

    /**
     * Encodes tokenized texts with the options they were tokenized for, as
     * {@link #encodeWithDetails(List, EncodeOptions)} does.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public EncodeResult encodeWithDetails(TokenizedTexts texts) {
        if (texts.tokenizer() != tokenizer) {
            throw new IllegalArgumentException("these texts were tokenized by another model than " + name());
        }
        use.readLock().lock();
        try {
            requireOpen();
            return new EncodeRun(config, tokenizer, transformer, workers, texts.options()).vectors(texts);
        } finally {
            use.readLock().unlock();
        }
    }

    /**
     * The prompt prepended to each text under these options: the options' prompt, else the model's prompt
     * of that name, else the model's default prompt, if any. As in sentence-transformers, an empty prompt
     * still counts.
     *
     * @throws IllegalArgumentException if the options name a prompt the model does not have
     */
    public Optional<String> prompt(EncodeOptions options) {
        if (options.prompt() != null) {
            return Optional.of(options.prompt());
        }
        if (options.promptName() != null) {
            String text = config.prompts().get(options.promptName());
            if (text == null) {
                throw new IllegalArgumentException("the model has no prompt named '" + options.promptName() + "' (it has "
                        + config.prompts().keySet() + ")");
            }
            return Optional.of(text);
        }
        return config.defaultPrompt();
    }

    /**
     * The transformer's token embeddings of each text, {@code [tokens][hidden]} without padding,
     * before pooling; long texts are truncated.
     */
    public List<float[][]> encodeTokens(List<String> texts, EncodeOptions options) {
        TokenizedTexts tokenized = tokenize(texts, options);
        use.readLock().lock();
        try {
            requireOpen();
            return new EncodeRun(config, tokenizer, transformer, workers, options).tokenEmbeddings(tokenized);
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

    /** The ONNX file in use, as a path inside the model. */
    public String onnxFile() {
        return onnxFile;
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
