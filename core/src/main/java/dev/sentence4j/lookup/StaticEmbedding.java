package dev.sentence4j.lookup;

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

/**
 * The {@code StaticEmbedding} module: a table of one vector per token, and a text's vector the mean of
 * its tokens' vectors, as PyTorch's {@code EmbeddingBag} in mean mode (no network, no ONNX Runtime). As
 * sentence-transformers, texts are tokenized without special tokens and, unless {@code tokenizer.json}
 * says otherwise, without truncation; a text without tokens gets the zero vector. Reads the module's
 * folder as sentence-transformers writes it ({@code tokenizer.json} and {@code model.safetensors} with
 * {@code embedding.weight}) and as model2vec does (the table under {@code embeddings}), and
 * {@code pytorch_model.bin} in place of {@code model.safetensors}. Immutable and thread-safe.
 */
public final class StaticEmbedding implements InputModule {
    private static final String[] TABLE_NAMES = {"embedding.weight", "embeddings"};


    private final Tokenizer tokenizer;
    private final String tokenizerFile;
    private final String source;
    private final String tensor;
    private final float[] table;
    private final int rows;
    private final int dimension;

    private StaticEmbedding(Tokenizer tokenizer, String tokenizerFile, String source, String tensor, float[] table, int rows,
            int dimension) {
        this.tokenizer = tokenizer;
        this.tokenizerFile = tokenizerFile;
        this.source = source;
        this.tensor = tensor;
        this.table = table;
        this.rows = rows;
        this.dimension = dimension;
    }

    /**
     * Reads the module's tokenizer and table.
     *
     * @throws ModelLoadException naming the file, tensor and value that is wrong
     */
    public static StaticEmbedding read(ModuleFolder module) {
        ModuleWeights weights = module.weights();
        String name = weights.firstOf(TABLE_NAMES).orElseThrow(() -> new ModelLoadException(weights.source()
                + " has none of the tensors " + String.join(", ", TABLE_NAMES) + " a StaticEmbedding's table is saved as"));
        long[] shape = weights.shape(name);
        if (shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
            throw new ModelLoadException(weights.source() + ": tensor '" + name + "' has shape "
                    + Arrays.toString(shape) + "; a StaticEmbedding's table is [tokens, dimension]");
        }
        float[] values = weights.get(name, shape);
        return new StaticEmbedding(tokenizer(module), module.file(LookupTokenizer.FILE), weights.source(), name, values,
                (int) shape[0], (int) shape[1]);
    }

    /**
     * The module's tokenizer as sentence-transformers sets it up: no special tokens, no padding, and the
     * truncation {@code tokenizer.json} itself asks for, if any.
     */
    private static Tokenizer tokenizer(ModuleFolder module) {
        LookupTokenizer.require(module, "StaticEmbedding");
        int maxLength = module.config(LookupTokenizer.FILE).object("truncation").flatMap(t -> t.integer("max_length"))
                .orElse(Integer.MAX_VALUE);
        return LookupTokenizer.load(module, maxLength);
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Each row's mean of its tokens' vectors. */
    @Override
    public Features features(BatchEncoding batch) {
        int length = batch.sequenceLength();
        long[] ids = batch.inputIds();
        long[] mask = batch.attentionMask();
        int[] offsets = new int[length];
        float[][] vectors = new float[batch.batchSize()][];
        for (int row = 0; row < vectors.length; row++) {
            int count = 0;
            for (int t = row * length, end = t + length; t < end; t++) {
                if (mask[t] != 0) {
                    offsets[count++] = row(ids[t]) * dimension;
                }
            }
            vectors[row] = mean(offsets, count);
        }
        return Features.ofSentences(vectors);
    }

    /**
     * The mean of the table rows starting at the first {@code count} offsets, as PyTorch's EmbeddingBag
     * takes it on the CPU: a float32 sum in token order, scaled by 1 / count. Four rows are added in one
     * pass, each element still summed in token order, so that four rows stream from memory at once.
     */
    private float[] mean(int[] offsets, int count) {
        float[] sum = new float[dimension];
        int t = 0;
        for (; t + 4 <= count; t += 4) {
            int a = offsets[t];
            int b = offsets[t + 1];
            int c = offsets[t + 2];
            int e = offsets[t + 3];
            for (int d = 0; d < dimension; d++) {
                sum[d] = sum[d] + table[a + d] + table[b + d] + table[c + d] + table[e + d];
            }
        }
        for (; t < count; t++) {
            int a = offsets[t];
            for (int d = 0; d < dimension; d++) {
                sum[d] += table[a + d];
            }
        }
        if (count > 1) {
            float scale = 1f / count;
            for (int d = 0; d < dimension; d++) {
                sum[d] *= scale;
            }
        }
        return sum;
    }

    /**
     * The table row of a token id.
     *
     * @throws IllegalStateException naming the table and its size for an id outside it: the tokenizer and
     *     the table disagree
     */
    private int row(long id) {
        if (id < 0 || id >= rows) {
            throw new IllegalStateException(tokenizerFile + " gives token id " + id + ", outside the table '" + tensor
                    + "' of " + rows + " rows in " + source);
        }
        return (int) id;
    }

    @Override
    public Feature gives() {
        return Feature.SENTENCE_EMBEDDING;
    }

    @Override
    public int width() {
        return dimension;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("tokenizer_file", tokenizerFile);
        facts.put("token_table", tensor + " [" + rows + ", " + dimension + "] in " + source);
        return facts;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "StaticEmbedding(" + rows + " tokens x " + dimension + ")";
    }
}
