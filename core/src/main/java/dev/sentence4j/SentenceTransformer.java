package dev.sentence4j;

import dev.sentence4j.hub.Hub;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.FeatureModule;
import dev.sentence4j.module.Module;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.pool.PoolingMode;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.transformer.TransformerTask;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
public final class SentenceTransformer extends Model {
    private static final System.Logger LOG = System.getLogger(SentenceTransformer.class.getName());

    private final SimilarityFunction similarityFunction;

    private SentenceTransformer(Loaded loaded, SimilarityFunction similarityFunction, int threads) {
        super(loaded, threads);
        this.similarityFunction = similarityFunction;
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
        Loaded loaded = read(files, options, ModelFamily.SENTENCE_TRANSFORMER, TransformerTask.FEATURE_EXTRACTION,
                reading -> implied(files, reading), Feature.SENTENCE_EMBEDDING);
        SentenceTransformersConfig config = loaded.config();
        int truncateDim = config.truncateDim().orElse(0);
        for (Pipeline pipeline : loaded.routes().all()) {
            if (truncateDim > pipeline.width()) {
                throw loaded.closing(config.error("truncate_dim is " + truncateDim + " but the model's modules give vectors of "
                        + pipeline.width()));
            }
        }
        return new SentenceTransformer(loaded, config.similarityFunction(SimilarityFunction.COSINE), options.threads());
    }

    /**
     * The modules of a folder without {@code modules.json}, as sentence-transformers makes them: a
     * Transformer with mean pooling, or last-token pooling for a causal language model.
     */
    private static List<Module> implied(ModelFiles files, ModuleReading reading) {
        ModuleFolder root = ModuleFolder.implied(files, 0, "Transformer");
        Transformer transformer = reading.made(Transformer.read(root, reading.transformerOptions()), root);
        Pooling pooling = reading.made(defaultPooling(files, transformer), ModuleFolder.implied(files, 1, "Pooling"));
        LOG.log(System.Logger.Level.WARNING, "{0} has no modules.json: using Transformer + {1} pooling, without "
                + "normalization", files.name(), pooling);
        return List.of(transformer, pooling);
    }

    /**
     * Pooling over the graph's hidden size (or where its output shape leaves it open, {@code config.json}'s):
     * last token for a model built as a causal language model ({@code *ForCausalLM}, unless
     * {@code is_causal} is false), else mean.
     */
    private static Pooling defaultPooling(ModelFiles files, Transformer transformer) {
        Optional<ConfigFile> config = ConfigFile.readIfExists(files, "config.json");
        int hidden = transformer.hiddenSize() > 0 ? transformer.hiddenSize() : config
                .flatMap(c -> c.integer("hidden_size").or(() -> c.integer("d_model")))
                .orElseThrow(() -> new ModelLoadException(files.describe("config.json")
                        + " has no 'hidden_size', which sizes the default pooling"));
        boolean causalLm = config.filter(c -> c.bool("is_causal").orElse(true))
                .filter(c -> c.architecture().endsWith("ForCausalLM"))
                .isPresent();
        return new Pooling(hidden, List.of(causalLm ? PoolingMode.LAST_TOKEN : PoolingMode.MEAN));
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
        int width = pipeline(options).width();
        if (options.truncateDim() > width) {
            throw new IllegalArgumentException("truncate dim " + options.truncateDim() + " exceeds the model's "
                    + width + " dimensions");
        }
        return tokenizeTexts(texts, options);
    }

    /**
     * Encodes tokenized texts with the options they were tokenized for, as
     * {@link #encodeWithDetails(List, EncodeOptions)} does.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public EncodeResult encodeWithDetails(TokenizedTexts<String> texts) {
        EncodeOptions options = optionsOf(texts, EncodeOptions.class);
        return guard.call(workers -> run(workers, options).vectors(texts));
    }

    /**
     * The transformer's token embeddings of each text, {@code [tokens][hidden]} without padding,
     * before pooling; long texts are truncated.
     *
     * @throws UnsupportedOperationException if the model (or the task's route) starts with a token table
     *     ({@code StaticEmbedding}), which gives sentence embeddings only
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
        EncodeOptions options = optionsOf(texts, EncodeOptions.class);
        return guard.call(workers -> run(workers, options).tokenEmbeddings(texts));
    }

    private EncodeRun run(Workers workers, EncodeOptions options) {
        return new EncodeRun(pipeline(options), config().truncateDim().orElse(0), workers, options);
    }

    /**
     * Encodes search queries: on the {@code query} route of a model with a Router, with the model's
     * prompt named {@code query} when it has one, else as {@link #encode(List)}.
     */
    public float[][] encodeQuery(List<String> texts) {
        return encode(texts, forQueries(EncodeOptions.defaults()));
    }

    /**
     * Encodes documents to search: on the {@code document} route of a model with a Router, with the
     * model's prompt named {@code document}, {@code passage} or {@code corpus}, the first it has, else as
     * {@link #encode(List)}.
     */
    public float[][] encodeDocument(List<String> texts) {
        return encode(texts, forDocuments(EncodeOptions.defaults()));
    }

    /** Scores of every vector of {@code a} against every vector of {@code b}, by the model's similarity function. */
    public float[][] similarity(float[][] a, float[][] b) {
        return similarityFunction.matrix(a, b);
    }

    /** Scores of {@code a[i]} against {@code b[i]}, by the model's similarity function. */
    public float[] similarityPairwise(float[][] a, float[][] b) {
        return similarityFunction.pairwise(a, b);
    }

    /**
     * The ONNX file the default route runs, as a path inside the model (for a graph built from the
     * checkpoint, the checkpoint); {@code null} for a model without a Transformer, such as a static one.
     */
    public String onnxFile() {
        return describe().onnxFile().orElse(null);
    }

    /** The transformer stage of the default route, for running the model one stage at a time. */
    public Transformer transformer() {
        return Stages.first(routes.defaultPipeline(), Transformer.class, name());
    }

    /** The pooling stage of the default route, for running the model one stage at a time. */
    public Pooling pooling() {
        return Stages.first(routes.defaultPipeline(), Pooling.class, name());
    }

    /** The modules after pooling (Dense, LayerNorm, Normalize) on the default route, in order. */
    public List<VectorLayer> layers() {
        return routes.defaultPipeline().rest().stream().filter(VectorLayer.class::isInstance).map(VectorLayer.class::cast)
                .toList();
    }

    /** Whether the model's last module is Normalize, so its vectors come out unit length. */
    public boolean normalizes() {
        return routes.defaultPipeline().normalizes();
    }

    /** The length of the vectors {@link #encode} returns: the model's, or its saved {@code truncate_dim}. */
    public int dimension() {
        return config().truncateDim().orElse(routes.defaultPipeline().width());
    }

    /** The model's similarity function ({@code similarity_fn_name}, cosine by default). */
    public SimilarityFunction similarityFunction() {
        return similarityFunction;
    }

    @Override
    ModelFamily family() {
        return ModelFamily.SENTENCE_TRANSFORMER;
    }

    @Override
    int width() {
        return dimension();
    }

    @Override
    SimilarityFunction similarityOrNull() {
        return similarityFunction;
    }

    @Override
    void addFacts(Pipeline pipeline, Map<String, Object> facts) {
        for (FeatureModule module : pipeline.rest()) {
            if (module instanceof Pooling pooling) {
                facts.put("pooling", pooling.modes().stream().map(PoolingMode::label).toList());
                facts.put("include_prompt", pooling.includePrompt());
            }
        }
        facts.put("layers", pipeline.rest().stream().filter(VectorLayer.class::isInstance).map(Object::toString).toList());
    }
}
