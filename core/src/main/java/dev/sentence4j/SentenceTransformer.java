package dev.sentence4j;

import dev.sentence4j.hub.Hub;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.transformer.Transformer;
import java.util.List;
import java.util.Objects;

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
    private final ModelFiles files;
    private final EmbeddingModules modules;
    private final SimilarityFunction similarityFunction;
    private final ModelGuard guard;

    private SentenceTransformer(ModelFiles files, EmbeddingModules modules, SimilarityFunction similarityFunction,
            int threads) {
        this.files = files;
        this.modules = modules;
        this.similarityFunction = similarityFunction;
        this.guard = new ModelGuard(files.name(), threads, modules.transformer()::close);
    }

    /**
     * Loads a model from a local folder laid out as a Hugging Face sentence-transformers repository,
     * by the id of a built-in model ({@code sentence-transformers/all-MiniLM-L6-v2},
     * {@code BAAI/bge-small-en-v1.5}), or by any Hugging Face Hub id whose repository has an ONNX
     * export or a checkpoint of a supported architecture: downloaded once into the Hugging Face cache,
     * then loaded from there (see {@link ModelFiles#resolve(String, String, Hub)}). The transformer runs
     * the ONNX export when there is one (unless {@link LoadOptions#checkpoint()} asks otherwise), else
     * the graph sentence4j builds from the checkpoint ({@code model.safetensors}, {@code pytorch_model.bin}).
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
        options.requireRevisionOf(files);
        SentenceTransformersConfig config = SentenceTransformersConfig.read(files);
        config.requireFamily(ModelFamily.SENTENCE_TRANSFORMER);
        SimilarityFunction similarity = config.similarityFunction(SimilarityFunction.COSINE);
        EmbeddingModules modules = EmbeddingModules.read(files, config, options);
        int truncateDim = config.truncateDim().orElse(0);
        if (truncateDim > modules.dimension()) {
            modules.transformer().close();
            throw config.error("truncate_dim is " + truncateDim + " but the model's modules give vectors of "
                    + modules.dimension());
        }
        return new SentenceTransformer(files, modules, similarity, options.threads());
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
     * call for, tokenized once, its token count known before anything is encoded.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name or a truncate dim larger than the model's
     */
    public TokenizedTexts<String> tokenize(List<String> texts, EncodeOptions options) {
        Objects.requireNonNull(texts, "texts");
        if (options.truncateDim() > modules.dimension()) {
            throw new IllegalArgumentException("truncate dim " + options.truncateDim() + " exceeds the model's "
                    + modules.dimension() + " dimensions");
        }
        String prompt = Prompts.choose(modules.config(), options.prompt(), options.promptName());
        return guard.call(workers -> TokenizedTexts.ofTexts(tokenizer(), texts, prompt, options));
    }

    /**
     * Encodes tokenized texts with the options they were tokenized for, as
     * {@link #encodeWithDetails(List, EncodeOptions)} does.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public EncodeResult encodeWithDetails(TokenizedTexts<String> texts) {
        EncodeOptions options = texts.options(tokenizer(), EncodeOptions.class, name());
        return guard.call(workers -> new EncodeRun(modules, workers, options).vectors(texts));
    }

    /**
     * The transformer's token embeddings of each text, {@code [tokens][hidden]} without padding,
     * before pooling; long texts are truncated.
     */
    public List<float[][]> encodeTokens(List<String> texts, EncodeOptions options) {
        return encodeTokens(tokenize(texts, options));
    }

    /**
     * The token embeddings of tokenized texts, with the options they were tokenized for, as
     * {@link #encodeTokens(List, EncodeOptions)}.
     *
     * @throws IllegalArgumentException if another model tokenized them
     */
    public List<float[][]> encodeTokens(TokenizedTexts<String> texts) {
        EncodeOptions options = texts.options(tokenizer(), EncodeOptions.class, name());
        return guard.call(workers -> new EncodeRun(modules, workers, options).tokenEmbeddings(texts));
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
        return Prompts.firstNamed(modules.config(), names).map(options::withPromptName).orElse(options);
    }

    /** Scores of every vector of {@code a} against every vector of {@code b}, by the model's similarity function. */
    public float[][] similarity(float[][] a, float[][] b) {
        return similarityFunction.matrix(a, b);
    }

    /** Scores of {@code a[i]} against {@code b[i]}, by the model's similarity function. */
    public float[] similarityPairwise(float[][] a, float[][] b) {
        return similarityFunction.pairwise(a, b);
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
        return modules.config();
    }

    /** The ONNX file in use, as a path inside the model. */
    public String onnxFile() {
        return modules.transformer().onnxFile();
    }

    /** The {@code tokenizer.json} in use, as a path inside the model. */
    public String tokenizerFile() {
        return modules.transformer().tokenizerFile();
    }

    /** The tokenizer stage. */
    public Tokenizer tokenizer() {
        return modules.transformer().tokenizer();
    }

    /** The transformer stage. */
    public Transformer transformer() {
        return modules.transformer();
    }

    /** The pooling stage. */
    public Pooling pooling() {
        return modules.pooling();
    }

    /** The modules after pooling (Dense, LayerNorm, Normalize), in order. */
    public List<VectorLayer> layers() {
        return modules.layers();
    }

    /** Whether the model's last module is Normalize, so its vectors come out unit length. */
    public boolean normalizes() {
        return modules.normalize();
    }

    /** The length of the vectors {@link #encode} returns: the model's, or its saved {@code truncate_dim}. */
    public int dimension() {
        return modules.config().truncateDim().orElse(modules.dimension());
    }

    /** Which layout the model's folder has: written by sentence-transformers 6, by older versions, or neither. */
    public FolderFormat format() {
        return modules.format();
    }

    /** The model's similarity function ({@code similarity_fn_name}, cosine by default). */
    public SimilarityFunction similarityFunction() {
        return similarityFunction;
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
