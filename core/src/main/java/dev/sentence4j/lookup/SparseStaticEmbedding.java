package dev.sentence4j.lookup;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModuleWeights;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.Features;
import dev.sentence4j.module.InputModule;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code SparseStaticEmbedding} module, the query side of an inference-free SPLADE model: a text's
 * sparse vector holds, for each vocabulary entry among its tokens, that entry's saved weight (an IDF-like
 * value), however often it occurs; no network runs. As sentence-transformers, texts are tokenized without
 * special tokens and truncated to {@code tokenizer_config.json}'s {@code model_max_length}. Reads
 * {@code config.json} ({@code frozen}, which only training reads), the tokenizer and {@code weight} from
 * {@code model.safetensors}. Immutable and thread-safe.
 */
public final class SparseStaticEmbedding implements InputModule {
    private static final String WEIGHT = "weight";

    private final Tokenizer tokenizer;
    private final String tokenizerFile;
    private final String source;
    private final float[] weights;

    private SparseStaticEmbedding(Tokenizer tokenizer, String tokenizerFile, String source, float[] weights) {
        this.tokenizer = tokenizer;
        this.tokenizerFile = tokenizerFile;
        this.source = source;
        this.weights = weights;
    }

    /**
     * Reads the module's config, tokenizer and weights.
     *
     * @throws ModelLoadException naming the file, field and value that is wrong
     */
    public static SparseStaticEmbedding read(ModuleFolder module) {
        Optional<ConfigFile> config = module.configIfExists("config.json");
        Optional<String> idfFile = config.flatMap(c -> c.text("path")).filter(path -> path.endsWith(".json"));
        if (idfFile.isPresent()) {
            throw config.get().error("path is '" + idfFile.get() + "': weights from an IDF JSON file are read only when"
                    + " the model is built in Python; save it again to write them to model.safetensors");
        }
        ModuleWeights weights = module.weights();
        long[] shape = weights.shape(WEIGHT);
        if (shape.length != 1 || shape[0] < 1) {
            throw new ModelLoadException(weights.source() + ": tensor '" + WEIGHT + "' has shape "
                    + Arrays.toString(shape) + "; a SparseStaticEmbedding's is [vocabulary]");
        }
        return new SparseStaticEmbedding(tokenizer(module), module.file(LookupTokenizer.FILE), weights.source(),
                weights.get(WEIGHT, shape));
    }

    /** The tokenizer as {@code AutoTokenizer} with {@code truncation=True, add_special_tokens=False} runs it. */
    private static Tokenizer tokenizer(ModuleFolder module) {
        LookupTokenizer.require(module, "SparseStaticEmbedding");
        // transformers' default model_max_length (1e30) means no truncation.
        int maxLength = module.configIfExists("tokenizer_config.json").flatMap(c -> c.field("model_max_length"))
                .filter(value -> value.isNumber() && value.asDouble() < Integer.MAX_VALUE && value.asDouble() >= 1)
                .map(value -> (int) value.asDouble()).orElse(Integer.MAX_VALUE);
        return LookupTokenizer.load(module, maxLength);
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Each row's weights of the vocabulary entries among its tokens; zero elsewhere. */
    @Override
    public Features features(BatchEncoding batch) {
        float[][] vectors = new float[batch.batchSize()][];
        for (int row = 0; row < vectors.length; row++) {
            float[] vector = new float[weights.length];
            for (int t = 0; t < batch.sequenceLength(); t++) {
                int at = row * batch.sequenceLength() + t;
                if (batch.attentionMask()[at] != 0) {
                    long id = batch.inputIds()[at];
                    if (id < 0 || id >= weights.length) {
                        throw new IllegalStateException(tokenizerFile + " gives token id " + id + ", outside the "
                                + weights.length + " weights of '" + WEIGHT + "' in " + source);
                    }
                    vector[(int) id] = weights[(int) id];
                }
            }
            vectors[row] = vector;
        }
        return Features.ofSentences(vectors);
    }

    @Override
    public Feature gives() {
        return Feature.SENTENCE_EMBEDDING;
    }

    @Override
    public int width() {
        return weights.length;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("tokenizer_file", tokenizerFile);
        facts.put("token_weights", WEIGHT + " [" + weights.length + "] in " + source);
        return facts;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "SparseStaticEmbedding(" + weights.length + " token weights)";
    }
}
