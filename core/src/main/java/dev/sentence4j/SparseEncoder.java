package dev.sentence4j;

import dev.sentence4j.hub.Hub;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.pool.SpladePooling;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.transformer.TransformerTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
public final class SparseEncoder extends Model {
    private final SimilarityFunction similarityFunction;
    private final int dimension;

    private SparseEncoder(Loaded loaded, SimilarityFunction similarityFunction, int dimension, int threads) {
        super(loaded, threads);
        this.similarityFunction = similarityFunction;
        this.dimension = dimension;
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
        Loaded loaded = read(files, options, ModelFamily.SPARSE_ENCODER, TransformerTask.FEATURE_EXTRACTION, reading -> {
            throw new ModelLoadException(files.describe("modules.json") + " is missing; a SparseEncoder lists its modules there");
        }, Feature.SENTENCE_EMBEDDING);
        try {
            // A SparseEncoder's saved similarity null means dot product.
            SimilarityFunction similarity = loaded.config().similarityFunction(SimilarityFunction.DOT);
            return new SparseEncoder(loaded, similarity, vocabulary(files, loaded.routes()), options.threads());
        } catch (ModelLoadException e) {
            throw loaded.closing(e);
        }
    }

    /**
     * The vectors' width as the modules declare it, the same on every route; else {@code config.json}'s
     * {@code vocab_size}.
     */
    private static int vocabulary(ModelFiles files, Routes routes) {
        int width = 0;
        for (Pipeline pipeline : routes.all()) {
            int declared = pipeline.width();
            if (declared > 0 && width > 0 && declared != width) {
                throw new ModelLoadException(files.describe("modules.json") + ": the routes give vectors of " + width
                        + " and " + declared + " entries; a SparseEncoder's routes share one vocabulary");
            }
            width = Math.max(width, declared);
        }
        if (width > 0) {
            return width;
        }
        ConfigFile config = ConfigFile.read(files, "config.json");
        return config.integer("vocab_size").orElseThrow(() -> config.error("field 'vocab_size' is missing, and "
                + routes.defaultPipeline().input().source() + " leaves its logits' width open"));
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
        return tokenizeTexts(texts, options);
    }

    /**
     * Encodes tokenized texts with the options they were tokenized for, as
     * {@link #encode(List, SparseEncodeOptions)} does.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long text under {@link LongInputs#ERROR}
     */
    public List<SparseVector> encode(TokenizedTexts<String> texts) {
        SparseEncodeOptions options = optionsOf(texts, SparseEncodeOptions.class);
        return guard.call(workers -> run(texts, options, workers));
    }

    private List<SparseVector> run(TokenizedTexts<String> texts, SparseEncodeOptions options, Workers workers) {
        if (options.longInputs() == LongInputs.ERROR) {
            texts.requireNoneTruncated("text");
        }
        List<Tokens> tokens = texts.tokens();
        Pipeline pipeline = pipeline(options);
        int[] lengths = tokens.stream().mapToInt(Tokens::length).toArray();
        return LengthBatches.run(lengths, options.batchSize(), options.maxBatchTokens(), workers, rows -> {
            float[][] dense = pipeline.run(pipeline.tokenizer().pad(rows.stream().map(tokens::get).toList()), null, false)
                    .sentence();
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

    /**
     * Encodes search queries: on the {@code query} route of a model with a Router (an inference-free
     * SPLADE's token-weight lookup), with the model's prompt named {@code query} when it has one.
     */
    public List<SparseVector> encodeQuery(List<String> texts) {
        return encode(texts, forQueries(SparseEncodeOptions.defaults()));
    }

    /**
     * Encodes documents to search: on the {@code document} route of a model with a Router, with the
     * model's prompt named {@code document}, {@code passage} or {@code corpus}, the first it has.
     */
    public List<SparseVector> encodeDocument(List<String> texts) {
        return encode(texts, forDocuments(SparseEncodeOptions.defaults()));
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
        return dimension;
    }

    /** The transformer and its masked-LM head on the default route: token embeddings are logits, {@code [batch, tokens, vocabulary]}. */
    public Transformer transformer() {
        return Stages.first(routes.defaultPipeline(), Transformer.class, name());
    }

    /** The pooling stage of the default route. */
    public SpladePooling pooling() {
        return Stages.first(routes.defaultPipeline(), SpladePooling.class, name());
    }

    @Override
    ModelFamily family() {
        return ModelFamily.SPARSE_ENCODER;
    }

    @Override
    int width() {
        return dimension;
    }

    @Override
    SimilarityFunction similarityOrNull() {
        return similarityFunction;
    }

    @Override
    void addFacts(Pipeline pipeline, Map<String, Object> facts) {
        pipeline.rest().stream().filter(SpladePooling.class::isInstance).findFirst()
                .ifPresent(pooling -> facts.put("pooling", "splade " + pooling));
    }
}
