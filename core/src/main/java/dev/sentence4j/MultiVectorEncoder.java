package dev.sentence4j;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.module.Module;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.multivector.MultiVectorMask;
import dev.sentence4j.multivector.MultiVectorTransformer;
import dev.sentence4j.multivector.RoleLengths;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.multivector.TokenPooling;
import dev.sentence4j.similarity.MultiVectorSimilarity;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.transformer.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sentence-transformers MultiVectorEncoder (ColBERT, PyLate): one vector per token of each text, as
 * Python's {@code encode_query}/{@code encode_document} give them, scored by late interaction (MaxSim).
 * Queries get the model's query prompt (ColBERT's {@code [Q] }) and are expanded with mask tokens up to the
 * query length; documents get the document prompt ({@code [D] }), are cut to the document length and lose
 * the tokens of the model's skiplist (ColBERT's punctuation); a token pooling module, where the model has
 * one, then pools each document's vectors. Each text gives a {@code [tokens][dim]} block. The options'
 * task ({@code query}, or {@code document} by default) picks the role. Thread-safe; close it to free the
 * native resources.
 *
 * <pre>{@code
 * try (MultiVectorEncoder colbert = MultiVectorEncoder.load("lightonai/GTE-ModernColBERT-v1")) {
 *     List<float[][]> queries = colbert.encodeQuery(List.of("How old is the Earth?"));
 *     List<float[][]> documents = colbert.encodeDocument(corpus);
 *     float[][] scores = colbert.similarity(queries, documents);   // MaxSim
 *     List<RankedText> best = colbert.rank("How old is the Earth?", corpus, 10);
 * }
 * }</pre>
 */
public final class MultiVectorEncoder extends Model {
    /** How many batches each worker gets between two progress reports. */
    private static final int BATCHES_PER_REPORT = 4;

    private final MultiVectorModules modules;
    private final MultiVectorSimilarity similarityFunction;

    private MultiVectorEncoder(Loaded loaded, MultiVectorModules modules, MultiVectorSimilarity similarityFunction,
            int threads) {
        super(loaded, threads);
        this.modules = modules;
        this.similarityFunction = similarityFunction;
    }

    /**
     * Loads a MultiVectorEncoder from a local folder or by Hugging Face Hub id, as
     * {@link SentenceTransformer#load(String)} does: a folder sentence-transformers 6 saved for a
     * MultiVectorEncoder (a Transformer, the projection Dense, MultiVectorMask, Normalize, token pooling),
     * one PyLate saved ({@code model_type} {@code ColBERT}, its settings at the top of
     * {@code config_sentence_transformers.json}), or a Stanford ColBERT checkpoint ({@code HF_ColBERT}
     * with {@code artifact.metadata}), with an ONNX export or a checkpoint sentence4j builds the graph from.
     *
     * @throws ModelLoadException naming the file, field and value that is wrong, also when the folder holds
     *     another family of model
     */
    public static MultiVectorEncoder load(String folderOrId) {
        return load(folderOrId, LoadOptions.defaults());
    }

    /** Loads a MultiVectorEncoder as {@link #load(String)} does, with options, as {@link SentenceTransformer#load(String, LoadOptions)}. */
    public static MultiVectorEncoder load(String folderOrId, LoadOptions options) {
        return load(ModelFiles.resolve(folderOrId, options.revision(), options.hub()), options);
    }

    /**
     * Loads a MultiVectorEncoder from files found already, as {@link SentenceTransformer#load(ModelFiles, LoadOptions)}.
     *
     * @throws IllegalArgumentException if the options name a revision the files are not at
     */
    public static MultiVectorEncoder load(ModelFiles files, LoadOptions options) {
        options.requireRevisionOf(files);
        SentenceTransformersConfig config = SentenceTransformersConfig.read(files);
        config.requireFamily(ModelFamily.MULTI_VECTOR_ENCODER);
        MultiVectorSimilarity similarity;
        try {
            // A saved cosine or dot (a SentenceTransformer's, or none) cannot score token vectors: MaxSim, as 6.x.
            similarity = config.similarityFnName().filter(name -> name.contains("maxsim"))
                    .map(MultiVectorSimilarity::fromName).orElse(MultiVectorSimilarity.MAXSIM);
        } catch (IllegalArgumentException e) {
            throw config.error("similarity_fn_name: " + e.getMessage());
        }
        MultiVectorModules modules = MultiVectorModules.read(files, config, options);
        // The token-level layers make the pipeline the description reads; mask and pooling run per text.
        Routes routes = Routes.of(new Pipeline(modules.input(), List.copyOf(modules.layers())), modules.format());
        Loaded loaded = new Loaded(files, config.withPrompts(modules.prompts()), routes);
        return new MultiVectorEncoder(loaded, modules, similarity, options.threads());
    }

    /** Encodes search queries with the default options: one {@code [tokens][dim]} block per query, in order. */
    public List<float[][]> encodeQuery(List<String> queries) {
        return encode(queries, forQueries(MultiVectorEncodeOptions.defaults()));
    }

    /** Encodes documents with the default options: one {@code [tokens][dim]} block per document, in order. */
    public List<float[][]> encodeDocument(List<String> documents) {
        return encode(documents, forDocuments(MultiVectorEncodeOptions.defaults()));
    }

    /**
     * Encodes texts in the role the options' task names ({@code query}, or {@code document} without one):
     * with the role's prompt (unless the options give one), cut to the role's length, a query expanded, a
     * document masked and pooled; one {@code [tokens][dim]} block per text, in order. A document whose
     * every token is masked gives a block of no tokens, which scores
     * {@link MultiVectorSimilarity#EMPTY_DOCUMENT_SCORE}, as sentence-transformers scores it. An empty list
     * gives an empty result; an empty text is valid.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name, or a task other than query and document
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public List<float[][]> encode(List<String> texts, MultiVectorEncodeOptions options) {
        return encode(tokenize(texts, options));
    }

    /**
     * Makes texts ready for {@link #encode(TokenizedTexts)}: each with its role's prompt (unless the options
     * give one), tokenized once and cut to the role's length, its token count known before anything runs.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name, or a task other than query and document
     */
    public TokenizedTexts<String> tokenize(List<String> texts, MultiVectorEncodeOptions options) {
        Objects.requireNonNull(texts, "texts");
        TextRole role = role(options);
        MultiVectorEncodeOptions call = forTask(role.label(), options);
        String prompt = Prompts.choose(config(), call.prompt(), call.promptName());
        Tokenizer tokenizer = modules.input().tokenizer(role);
        return guard.call(workers -> TokenizedTexts.ofTexts(tokenizer, texts, prompt, call, workers));
    }

    /**
     * Encodes tokenized texts in the role and with the options they were tokenized for.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public List<float[][]> encode(TokenizedTexts<String> texts) {
        // Each role has its own tokenizer: the one that tokenized the texts must be this model's for their role.
        MultiVectorEncodeOptions options = texts.options(MultiVectorEncodeOptions.class,
                call -> modules.input().tokenizer(role(call)), name());
        return guard.call(workers -> run(texts, role(options), options, workers));
    }

    /**
     * The role of a call's task: {@code query} or {@code document}, and documents for none.
     *
     * @throws IllegalArgumentException for another task
     */
    private static TextRole role(CallOptions<?> options) {
        if (options.task() == null) {
            return TextRole.DOCUMENT;
        }
        return TextRole.of(options.task()).orElseThrow(() -> new IllegalArgumentException("a multi-vector model encodes the tasks 'query' and "
                        + "'document', not '" + options.task() + "'"));
    }

    private List<float[][]> run(TokenizedTexts<String> texts, TextRole role, MultiVectorEncodeOptions options, Workers workers) {
        if (options.longInputs() == LongInputs.ERROR) {
            texts.requireNoneTruncated("text");
        }
        List<Tokens> tokens = texts.tokens();
        int floor = modules.input().floor(role);
        int[] widths = tokens.stream().mapToInt(t -> Math.max(t.length(), floor)).toArray();
        List<float[][]> blocks = new ArrayList<>(tokens.size());
        int group = BATCHES_PER_REPORT * options.batchSize() * workers.count();
        for (int from = 0; from < tokens.size(); from += group) {
            int to = Math.min(tokens.size(), from + group);
            List<Tokens> part = tokens.subList(from, to);
            blocks.addAll(LengthBatches.run(Arrays.copyOfRange(widths, from, to), options.batchSize(), options.maxBatchTokens(),
                    workers, rows -> batch(rows.stream().map(part::get).toList(), role, options)));
            if (options.progress() != null) {
                options.progress().encoded(to, tokens.size());
            }
        }
        return blocks;
    }

    /** Runs one batch and gives each row's scored token vectors, through the model's token-level modules. */
    private List<float[][]> batch(List<Tokens> rows, TextRole role, MultiVectorEncodeOptions options) {
        MultiVectorTransformer input = modules.input();
        BatchEncoding encoding = input.batch(rows, role);
        TokenEmbeddings embeddings = input.run(encoding);
        int width = encoding.sequenceLength();
        int floor = input.floor(role);
        MultiVectorMask mask = modules.mask();
        List<float[][]> blocks = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            Tokens row = rows.get(r);
            int start = input.start(encoding, row, role);
            List<float[]> vectors = new ArrayList<>(Math.max(row.length(), floor));
            for (int t = 0; t < width; t++) {
                boolean real = t >= start && t < start + row.length();
                boolean expanded = !real && t < floor;
                if (mask.scores(role, encoding.inputIds()[r * width + t], real, expanded)) {
                    vectors.add(layers(embeddings.vector(r, t), options));
                }
            }
            float[][] block = vectors.toArray(new float[0][]);
            for (TokenPooling pooling : modules.poolings()) {
                if (pooling.appliesTo(role) && block.length > 0) {
                    block = pooling.pool(block);
                }
            }
            blocks.add(block);
        }
        return blocks;
    }

    private float[] layers(float[] vector, MultiVectorEncodeOptions options) {
        for (VectorLayer layer : modules.layers()) {
            vector = layer.apply(vector);
        }
        return options.normalize() ? Normalize.l2(vector) : vector;
    }

    /**
     * Scores of every query against every document by the model's similarity function: MaxSim unless the
     * folder names MeanMaxSim.
     *
     * @throws IllegalArgumentException if token vectors differ in length
     */
    public float[][] similarity(List<float[][]> queries, List<float[][]> documents) {
        return similarityFunction.matrix(queries, documents);
    }

    /** The best {@code topK} documents for the query, as {@link #rank(String, List, int, MultiVectorEncodeOptions)}. */
    public List<RankedText> rank(String query, List<String> documents, int topK) {
        return rank(query, documents, topK, MultiVectorEncodeOptions.defaults());
    }

    /**
     * Encodes the query and the documents in their roles, scores each document by the model's similarity
     * function and returns the best {@code topK}, best first; equal scores keep the documents' order. An
     * empty list gives an empty result. The options apply to both sides; a prompt they give goes before the
     * query and the documents alike (give none to keep each role's own).
     *
     * @throws IllegalArgumentException if {@code topK < 1}
     * @throws NullPointerException for a null query, or naming the index of a null document
     */
    public List<RankedText> rank(String query, List<String> documents, int topK, MultiVectorEncodeOptions options) {
        Objects.requireNonNull(query, "the query is null");
        if (topK < 1) {
            throw new IllegalArgumentException("top k must be at least 1, got " + topK);
        }
        Prompts.requireNoNulls(documents, "document");
        float[][] queryBlock = encode(List.of(query), options.withTask(TextRole.QUERY.label())).get(0);
        float[] scores = similarity(List.<float[][]>of(queryBlock), encode(documents, options.withTask(TextRole.DOCUMENT.label())))[0];
        List<RankedText> ranked = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            ranked.add(new RankedText(i, scores[i], documents.get(i)));
        }
        ranked.sort(Comparator.comparingDouble((RankedText r) -> r.score()).reversed());
        return List.copyOf(ranked.subList(0, Math.min(topK, ranked.size())));
    }

    /** The model's similarity function ({@code similarity_fn_name}: MaxSim unless MeanMaxSim). */
    public MultiVectorSimilarity similarityFunction() {
        return similarityFunction;
    }

    /** The length of each token vector. */
    public int dimension() {
        return routes.defaultPipeline().width();
    }

    /** The query and document lengths and the query expansion the model runs with. */
    public RoleLengths lengths() {
        return modules.input().lengths();
    }

    /** The prompts by name: the folder's, and for a PyLate or Stanford folder its query and document prefixes. */
    public Map<String, String> prompts() {
        return config().prompts();
    }

    /** The tokenizer of a role: it cuts texts to the role's length. */
    public Tokenizer tokenizer(TextRole role) {
        return modules.input().tokenizer(role);
    }

    /** The tokenizer of documents, which cuts texts to the document length. */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer(TextRole.DOCUMENT);
    }

    /** The transformer giving the token embeddings before the projection. */
    public Transformer transformer() {
        return modules.input().transformer();
    }

    @Override
    ModelFamily family() {
        return ModelFamily.MULTI_VECTOR_ENCODER;
    }

    @Override
    int width() {
        return dimension();
    }

    /** None of the single-vector functions: token vectors are scored by {@link #similarityFunction()}. */
    @Override
    SimilarityFunction similarityOrNull() {
        return null;
    }

    @Override
    List<? extends Module> modulesAfterInput(Pipeline pipeline) {
        return modules.modules();
    }

    @Override
    void addFacts(Pipeline pipeline, Map<String, Object> facts) {
        facts.put("similarity_function", similarityFunction.label());
        facts.put("mask", modules.mask().toString());
    }
}
