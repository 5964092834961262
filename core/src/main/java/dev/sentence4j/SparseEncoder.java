package dev.sentence4j;

import dev.sentence4j.hub.Hub;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.pool.SpladePooling;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.transformer.Transformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A sentence-transformers SparseEncoder (SPLADE): one sparse vector per text, a weight per vocabulary
 * entry, from a masked-LM head and SpladePooling, as Python's {@code SparseEncoder.encode} gives it.
 * Thread-safe; close it to free the native resources.
 *
 * <pre>{@code
 * try (SparseEncoder splade = SparseEncoder.load("naver/splade-cocondenser-ensembledistil")) {
 *     List<SparseVector> queries = splade.encodeQuery(List.of("How old is the Earth?"));
 *     List<SparseVector> documents = splade.encodeDocument(corpus);
 *     float[][] scores = splade.similarity(queries, documents);   // dot product
 * }
 * }</pre>
 */
public final class SparseEncoder implements AutoCloseable {
    private final ModelFiles files;
    private final SparseModules modules;
    private final SimilarityFunction similarityFunction;
    private final ModelGuard guard;

    private SparseEncoder(ModelFiles files, SparseModules modules, SimilarityFunction similarityFunction, int threads) {
        this.files = files;
        this.modules = modules;
        this.similarityFunction = similarityFunction;
        this.guard = new ModelGuard(files.name(), threads, modules.transformer()::close);
    }

    /**
     * Loads a SparseEncoder from a local folder or by Hugging Face Hub id, as
     * {@link SentenceTransformer#load(String)} does: a folder whose {@code modules.json} lists a fill-mask
     * Transformer (or {@code MLMTransformer}) and SpladePooling, with an ONNX export whose output is the
     * masked-LM {@code logits}, or a checkpoint from which sentence4j builds the masked-LM graph.
     *
     * @throws ModelLoadException naming the file and what is wrong, also when the folder holds another
     *     family of model
     */
    public static SparseEncoder load(String folderOrId) {
        return load(folderOrId, LoadOptions.defaults());
    }

    /** Loads a SparseEncoder as {@link #load(String)} does, with options, as {@link SentenceTransformer#load(String, LoadOptions)}. */
    public static SparseEncoder load(String folderOrId, LoadOptions options) {
        return load(ModelFiles.resolve(folderOrId, options.revision(), options.hub()), options);
    }

    /**
     * Loads a SparseEncoder from files found already, as {@link SentenceTransformer#load(ModelFiles, LoadOptions)}.
     *
     * @throws IllegalArgumentException if the options name a revision the files are not at
     */
    public static SparseEncoder load(ModelFiles files, LoadOptions options) {
        options.requireRevisionOf(files);
        SentenceTransformersConfig config = SentenceTransformersConfig.read(files);
        config.requireFamily(ModelFamily.SPARSE_ENCODER);
        // A SparseEncoder's saved similarity null means dot product.
        SimilarityFunction similarity = config.similarityFunction(SimilarityFunction.DOT);
        return new SparseEncoder(files, SparseModules.read(files, config, options), similarity, options.threads());
    }

    /** Encodes one text. */
    public SparseVector encode(String text) {
        return encode(List.of(text)).get(0);
    }

    /** Encodes texts, one sparse vector per text in order, with the default options. */
    public List<SparseVector> encode(List<String> texts) {
        return encode(texts, SparseEncodeOptions.defaults());
    }

    /**
     * Encodes texts, one sparse vector per text in order, holding the entries that are not zero. Texts
     * are batched longest first; only one batch's logits are held at a time per worker. An empty list
     * gives an empty result; an empty text is valid.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public List<SparseVector> encode(List<String> texts, SparseEncodeOptions options) {
        return encode(tokenize(texts, options));
    }

    /**
     * Makes texts ready for {@link #encode(TokenizedTexts)}: each with the prompt the options call for,
     * tokenized once, its token count known before anything is encoded.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws IllegalArgumentException for an unknown prompt name
     */
    public TokenizedTexts<String> tokenize(List<String> texts, SparseEncodeOptions options) {
        Objects.requireNonNull(texts, "texts");
        String prompt = Prompts.choose(modules.config(), options.prompt(), options.promptName());
        return guard.call(workers -> TokenizedTexts.ofTexts(tokenizer(), texts, prompt, options));
    }

    /**
     * Encodes tokenized texts with the options they were tokenized for, as
     * {@link #encode(List, SparseEncodeOptions)} does.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public List<SparseVector> encode(TokenizedTexts<String> texts) {
        SparseEncodeOptions options = texts.options(tokenizer(), SparseEncodeOptions.class, name());
        return guard.call(workers -> run(texts, options, workers));
    }

    private List<SparseVector> run(TokenizedTexts<String> texts, SparseEncodeOptions options, Workers workers) {
        if (options.longInputs() == LongInputs.ERROR) {
            texts.requireNoneTruncated("text");
        }
        List<Tokens> tokens = texts.tokens();
        int[] lengths = tokens.stream().mapToInt(Tokens::length).toArray();
        return LengthBatches.run(lengths, options.batchSize(), options.maxBatchTokens(), workers, rows -> {
            float[][] dense = modules.pooling().pool(transformer().run(tokenizer().pad(rows.stream().map(tokens::get).toList())));
            List<SparseVector> vectors = new ArrayList<>(dense.length);
            for (float[] row : dense) {
                vectors.add(largest(row, options.maxActiveDims()));
            }
            return vectors;
        });
    }

    /**
     * The entries of a dense vector that are not zero; with a limit, only the {@code limit} largest by
     * absolute value (ties to the lower index), as sentence-transformers' {@code max_active_dims}.
     */
    static SparseVector largest(float[] dense, int limit) {
        SparseVector all = SparseVector.of(dense);
        if (limit == 0 || all.size() <= limit) {
            return all;
        }
        int[] kept = IntStream.range(0, all.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> -Math.abs(all.values()[k])).thenComparingInt(k -> k))
                .limit(limit)
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
        int[] indices = new int[kept.length];
        float[] values = new float[kept.length];
        for (int k = 0; k < kept.length; k++) {
            indices[k] = all.indices()[kept[k]];
            values[k] = all.values()[kept[k]];
        }
        return new SparseVector(indices, values);
    }

    /** Encodes search queries: with the model's prompt named {@code query} when it has one. */
    public List<SparseVector> encodeQuery(List<String> texts) {
        return encode(texts, withPromptIfPresent("query"));
    }

    /**
     * Encodes documents to search: with the model's prompt named {@code document}, {@code passage} or
     * {@code corpus}, the first it has.
     */
    public List<SparseVector> encodeDocument(List<String> texts) {
        return encode(texts, withPromptIfPresent("document", "passage", "corpus"));
    }

    private SparseEncodeOptions withPromptIfPresent(String... names) {
        SparseEncodeOptions options = SparseEncodeOptions.defaults();
        return Prompts.firstNamed(modules.config(), names).map(options::withPromptName).orElse(options);
    }

    /**
     * Scores of every vector of {@code a} against every vector of {@code b}, by the model's similarity
     * function: the dot product unless the folder names another.
     */
    public float[][] similarity(List<SparseVector> a, List<SparseVector> b) {
        float[][] scores = new float[a.size()][b.size()];
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores[i].length; j++) {
                scores[i][j] = score(a.get(i), b.get(j));
            }
        }
        return scores;
    }

    private float score(SparseVector a, SparseVector b) {
        if (similarityFunction == SimilarityFunction.DOT) {
            return a.dot(b);
        }
        // Entries neither vector has add nothing to any similarity: score both over the union of their indices.
        int[] union = IntStream.concat(IntStream.of(a.indices()), IntStream.of(b.indices())).distinct().sorted().toArray();
        return similarityFunction.score(onto(a, union), onto(b, union));
    }

    private static float[] onto(SparseVector vector, int[] union) {
        float[] values = new float[union.length];
        for (int k = 0, u = 0; k < vector.size(); k++) {
            while (union[u] != vector.indices()[k]) {
                u++;
            }
            values[u] = vector.values()[k];
        }
        return values;
    }

    /** The model's similarity function ({@code similarity_fn_name}, dot product by default). */
    public SimilarityFunction similarityFunction() {
        return similarityFunction;
    }

    /** The length of the vectors' dense form: the model's vocabulary size. */
    public int dimension() {
        return modules.dimension();
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

    /** Which layout the model's folder has. */
    public FolderFormat format() {
        return modules.format();
    }

    /** The tokenizer stage. */
    public Tokenizer tokenizer() {
        return modules.transformer().tokenizer();
    }

    /** The transformer and its masked-LM head: token embeddings are logits, {@code [batch, tokens, vocabulary]}. */
    public Transformer transformer() {
        return modules.transformer();
    }

    /** The pooling stage. */
    public SpladePooling pooling() {
        return modules.pooling();
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
