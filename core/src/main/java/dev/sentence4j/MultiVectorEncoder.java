package dev.sentence4j;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.multivector.MultiVectorMask;
import dev.sentence4j.multivector.QueryExpansion;
import dev.sentence4j.multivector.RoleLengths;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.similarity.MultiVectorSimilarity;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.module.TokenEmbeddings;
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
 * the tokens of the model's skiplist (ColBERT's punctuation). Each text gives a {@code [tokens][dim]} block.
 * Thread-safe; close it to free the native resources.
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
public final class MultiVectorEncoder implements AutoCloseable {
    /** How many batches each worker gets between two progress reports. */
    private static final int BATCHES_PER_REPORT = 4;

    /** What {@link TokenizedTexts} remembers a call by: the role and the options. */
    private record RoleOptions(TextRole role, MultiVectorEncodeOptions options) {}

    private final ModelFiles files;
    private final MultiVectorModules modules;
    private final MultiVectorSimilarity similarityFunction;
    private final ModelGuard guard;

    private MultiVectorEncoder(ModelFiles files, MultiVectorModules modules, MultiVectorSimilarity similarityFunction,
            int threads) {
        this.files = files;
        this.modules = modules;
        this.similarityFunction = similarityFunction;
        this.guard = new ModelGuard(files.name(), threads, modules::close);
    }

    /**
     * Loads a MultiVectorEncoder from a local folder or by Hugging Face Hub id, as
     * {@link SentenceTransformer#load(String)} does: a folder sentence-transformers 6 saved for a
     * MultiVectorEncoder (a Transformer, the projection Dense, MultiVectorMask, Normalize), or one PyLate
     * saved ({@code model_type} {@code ColBERT}, its settings at the top of
     * {@code config_sentence_transformers.json}), with an ONNX export or a checkpoint sentence4j builds the
     * graph from.
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
        return new MultiVectorEncoder(files, MultiVectorModules.read(files, config, options), similarity, options.threads());
    }

    /** Encodes search queries with the default options: one {@code [tokens][dim]} block per query, in order. */
    public List<float[][]> encodeQuery(List<String> queries) {
        return encode(queries, TextRole.QUERY, MultiVectorEncodeOptions.defaults());
    }

    /** Encodes documents with the default options: one {@code [tokens][dim]} block per document, in order. */
    public List<float[][]> encodeDocument(List<String> documents) {
        return encode(documents, TextRole.DOCUMENT, MultiVectorEncodeOptions.defaults());
    }

    /**
     * Encodes texts in a role: with the role's prompt (unless the options give one), cut to the role's length,
     * a query expanded, a document masked; one {@code [tokens][dim]} block per text, in order. A document
     * whose every token is masked gives a block of no tokens, which scores
     * {@link MultiVectorSimilarity#EMPTY_DOCUMENT_SCORE}, as sentence-transformers scores it. An empty list
     * gives an empty result; an empty text is valid.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public List<float[][]> encode(List<String> texts, TextRole role, MultiVectorEncodeOptions options) {
        return encode(tokenize(texts, role, options));
    }

    /**
     * Makes texts ready for {@link #encode(TokenizedTexts)}: each with its prompt, tokenized once and cut to
     * the role's length, its token count known before anything runs.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name
     */
    public TokenizedTexts<String> tokenize(List<String> texts, TextRole role, MultiVectorEncodeOptions options) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(role, "role");
        String prompt = prompt(role, options);
        Tokenizer tokenizer = modules.tokenizer(role);
        return guard.call(workers -> TokenizedTexts.ofTexts(tokenizer, texts, prompt, new RoleOptions(role, options)));
    }

    /**
     * Encodes tokenized texts in the role and with the options they were tokenized for.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public List<float[][]> encode(TokenizedTexts<String> texts) {
        // Each role has its own tokenizer: the one that tokenized the texts must be this model's for their role.
        RoleOptions call = texts.options(RoleOptions.class, options -> modules.tokenizer(options.role()), name());
        return guard.call(workers -> run(texts, call.role(), call.options(), workers));
    }

    /** The prompt of a call: the options' text or named prompt, else the role's, else the model's default. */
    private String prompt(TextRole role, MultiVectorEncodeOptions options) {
        if (options.prompt() != null) {
            return options.prompt();
        }
        Map<String, String> prompts = modules.prompts();
        if (options.promptName() != null) {
            String prompt = prompts.get(options.promptName());
            if (prompt == null) {
                throw new IllegalArgumentException("the model has no prompt named '" + options.promptName() + "' (it has "
                        + prompts.keySet() + ")");
            }
            return prompt;
        }
        List<String> names = role == TextRole.QUERY ? List.of("query") : List.of("document", "passage", "corpus");
        return names.stream().filter(prompts::containsKey).findFirst().map(prompts::get)
                .or(() -> modules.config().defaultPromptName().map(prompts::get)).orElse(null);
    }

    private List<float[][]> run(TokenizedTexts<String> texts, TextRole role, MultiVectorEncodeOptions options, Workers workers) {
        if (options.longInputs() == LongInputs.ERROR) {
            texts.requireNoneTruncated("text");
        }
        List<Tokens> tokens = texts.tokens();
        QueryExpansion expansion = role == TextRole.QUERY ? modules.lengths().expansion().orElse(null) : null;
        int floor = expansion == null ? 0 : expansion.length();
        int[] widths = tokens.stream().mapToInt(t -> Math.max(t.length(), floor)).toArray();
        List<float[][]> blocks = new ArrayList<>(tokens.size());
        int group = BATCHES_PER_REPORT * options.batchSize() * workers.count();
        for (int from = 0; from < tokens.size(); from += group) {
            int to = Math.min(tokens.size(), from + group);
            List<Tokens> part = tokens.subList(from, to);
            blocks.addAll(LengthBatches.run(Arrays.copyOfRange(widths, from, to), options.batchSize(), options.maxBatchTokens(),
                    workers, rows -> batch(rows.stream().map(part::get).toList(), role, expansion, options)));
            if (options.progress() != null) {
                options.progress().encoded(to, tokens.size());
            }
        }
        return blocks;
    }

    /** Runs one batch and gives each row's scored token vectors, through the model's token-level layers. */
    private List<float[][]> batch(List<Tokens> rows, TextRole role, QueryExpansion expansion, MultiVectorEncodeOptions options) {
        Tokenizer tokenizer = modules.tokenizer(role);
        BatchEncoding encoding = expansion == null ? tokenizer.pad(rows) : expanded(rows, expansion, tokenizer.padId());
        TokenEmbeddings embeddings = modules.transformer().run(encoding);
        int width = encoding.sequenceLength();
        int floor = expansion == null ? 0 : expansion.length();
        boolean left = expansion == null && tokenizer.settings().paddingSide() == PaddingSide.LEFT;
        MultiVectorMask mask = modules.mask();
        List<float[][]> blocks = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            int length = rows.get(r).length();
            int start = left ? width - length : 0;
            List<float[]> vectors = new ArrayList<>(Math.max(length, floor));
            for (int t = 0; t < width; t++) {
                boolean real = t >= start && t < start + length;
                boolean expanded = !real && t < floor;
                if (mask.scores(role, encoding.inputIds()[r * width + t], real, expanded)) {
                    vectors.add(layers(embeddings.vector(r, t), options));
                }
            }
            blocks.add(vectors.toArray(new float[0][]));
        }
        return blocks;
    }

    /**
     * A query batch with ColBERT's expansion: each row padded on the right to at least the expansion length
     * with the expansion token, attended only if the model says; beyond that, ordinary padding.
     */
    private BatchEncoding expanded(List<Tokens> rows, QueryExpansion expansion, long padId) {
        int width = expansion.length();
        for (Tokens row : rows) {
            width = Math.max(width, row.length());
        }
        int cells = rows.size() * width;
        long[] ids = new long[cells];
        long[] attention = new long[cells];
        long[] types = new long[cells];
        Arrays.fill(ids, padId);
        for (int r = 0; r < rows.size(); r++) {
            Tokens row = rows.get(r);
            int offset = r * width;
            System.arraycopy(row.ids(), 0, ids, offset, row.length());
            System.arraycopy(row.typeIds(), 0, types, offset, row.length());
            Arrays.fill(attention, offset, offset + row.length(), 1L);
            Arrays.fill(ids, offset + row.length(), offset + Math.max(row.length(), expansion.length()), modules.expansionId());
            if (expansion.attend()) {
                Arrays.fill(attention, offset + row.length(), offset + Math.max(row.length(), expansion.length()), 1L);
            }
        }
        return new BatchEncoding(ids, attention, types, rows.size(), width);
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
        float[][] queryBlock = encode(List.of(query), TextRole.QUERY, options).get(0);
        float[] scores = similarity(List.<float[][]>of(queryBlock), encode(documents, TextRole.DOCUMENT, options))[0];
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
        return modules.dimension();
    }

    /** The query and document lengths and the query expansion the model runs with. */
    public RoleLengths lengths() {
        return modules.lengths();
    }

    /** The prompts by name: the folder's, and for a PyLate folder its query and document prefixes. */
    public Map<String, String> prompts() {
        return modules.prompts();
    }

    /** The token-level modules after the transformer, in order: the projection Dense, Normalize. */
    public List<VectorLayer> layers() {
        return modules.layers();
    }

    /** Which tokens' vectors are kept: the MultiVectorMask module, its skiplist resolved. */
    public MultiVectorMask mask() {
        return modules.mask();
    }

    /** The model's name: its folder or id. */
    public String name() {
        return files.name();
    }

    /** The model's files. */
    public ModelFiles files() {
        return files;
    }

    /** What {@code config_sentence_transformers.json} says. */
    public SentenceTransformersConfig config() {
        return modules.config();
    }

    /** Which layout the model's folder has. */
    public FolderFormat format() {
        return modules.format();
    }

    /** The tokenizer of a role: it cuts texts to the role's length. */
    public Tokenizer tokenizer(TextRole role) {
        return modules.tokenizer(role);
    }

    /** The transformer giving the token embeddings before the projection. */
    public Transformer transformer() {
        return modules.transformer();
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
