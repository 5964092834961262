package dev.sentence4j;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.transformer.TokenEmbeddings;
import dev.sentence4j.transformer.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code encode} call: prompt, tokenize, apply the long-input policy, run the transformer in
 * length-sorted batches under a token budget, pool, apply the layers, then put the vectors back in the
 * caller's order.
 */
final class EncodeRun {
    /** A row the transformer runs: a whole text, or one window of a chunked text. */
    private record Unit(int text, Tokens tokens, int promptLength) {}

    private final EmbeddingModules config;
    private final Tokenizer tokenizer;
    private final Transformer transformer;
    private final Workers workers;
    private final EncodeOptions options;

    EncodeRun(EmbeddingModules config, Tokenizer tokenizer, Transformer transformer, Workers workers, EncodeOptions options) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.transformer = transformer;
        this.workers = workers;
        this.options = options;
    }

    EncodeResult vectors(List<String> texts) {
        Prompts.requireNoNulls(texts, "text");
        String prompt = prompt();
        List<String> inputs = Prompts.prepend(prompt, texts);
        int promptLength = prompt == null ? 0 : tokenizer.promptLength(prompt);
        int dimension = config.dimension();
        if (options.truncateDim() > dimension) {
            throw new IllegalArgumentException("truncate dim " + options.truncateDim() + " exceeds the model's " + dimension
                    + " dimensions");
        }
        List<Tokens> tokens = tokenizer.tokenize(inputs);
        int[] counts = new int[texts.size()];
        boolean[] truncated = new boolean[texts.size()];
        List<Unit> units = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Tokens t = tokens.get(i);
            counts[i] = t.untruncatedLength();
            if (!t.truncated() || options.longInputs() == LongInputs.TRUNCATE) {
                truncated[i] = t.truncated();
                units.add(new Unit(i, t, promptLength));
            } else if (options.longInputs() == LongInputs.ERROR) {
                throw new TextTooLongException(i, t.untruncatedLength(), tokenizer.settings().maxSeqLength());
            } else {
                List<Tokens> windows = tokenizer.windows(inputs.get(i), options.chunkStride());
                for (int w = 0; w < windows.size(); w++) {
                    units.add(new Unit(i, windows.get(w), w == 0 ? promptLength : 0));
                }
            }
        }
        List<float[]> unitVectors = LengthBatches.run(lengths(units), options.batchSize(), options.maxBatchTokens(), workers,
                batch -> {
                    List<Unit> rows = batch.stream().map(units::get).toList();
                    TokenEmbeddings embeddings = transformer.run(tokenizer.pad(rows.stream().map(Unit::tokens).toList()));
                    float[][] pooled = config.pooling().pool(embeddings, rows.stream().mapToInt(Unit::promptLength).toArray());
                    for (int k = 0; k < pooled.length; k++) {
                        pooled[k] = applyLayers(pooled[k]);
                    }
                    return Arrays.asList(pooled);
                });
        return new EncodeResult(finish(units, unitVectors.toArray(float[][]::new), texts.size()), counts, truncated);
    }

    List<float[][]> tokenEmbeddings(List<String> texts) {
        Prompts.requireNoNulls(texts, "text");
        List<Tokens> tokens = tokenizer.tokenize(Prompts.prepend(prompt(), texts));
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            units.add(new Unit(i, tokens.get(i), 0));
        }
        return LengthBatches.run(lengths(units), options.batchSize(), options.maxBatchTokens(), workers, batch -> {
            BatchEncoding encoding = tokenizer.pad(batch.stream().map(i -> units.get(i).tokens()).toList());
            TokenEmbeddings embeddings = transformer.run(encoding);
            List<float[][]> rows = new ArrayList<>(batch.size());
            for (int row = 0; row < batch.size(); row++) {
                float[][] vectors = new float[encoding.tokenCount(row)][];
                for (int t = 0, real = 0; t < encoding.sequenceLength(); t++) {
                    if (embeddings.isReal(row, t)) {
                        vectors[real++] = embeddings.vector(row, t);
                    }
                }
                rows.add(vectors);
            }
            return rows;
        });
    }

    /** The dimensions to keep: the caller's choice, else the model's saved {@code truncate_dim}, else 0 for all. */
    private int truncateDim() {
        return options.truncateDim() > 0 ? options.truncateDim() : config.config().truncateDim().orElse(0);
    }

    /** The prompt text to prepend, or {@code null}: as sentence-transformers, an empty prompt still counts. */
    private String prompt() {
        return Prompts.choose(config.config(), options.prompt(), options.promptName());
    }

    private static int[] lengths(List<Unit> units) {
        return units.stream().mapToInt(unit -> unit.tokens().length()).toArray();
    }

    private float[] applyLayers(float[] vector) {
        boolean skipNormalize = options.normalizeOverride().filter(on -> !on).isPresent();
        for (VectorLayer layer : config.layers()) {
            if (!(skipNormalize && layer instanceof Normalize)) {
                vector = layer.apply(vector);
            }
        }
        return vector;
    }

    /** Averages chunk windows per text, then truncates dimensions and normalizes as asked. */
    private float[][] finish(List<Unit> units, float[][] unitVectors, int count) {
        float[][] sums = new float[count][];
        int[] windows = new int[count];
        for (int u = 0; u < units.size(); u++) {
            int text = units.get(u).text();
            if (sums[text] == null) {
                sums[text] = unitVectors[u];
            } else {
                float[] sum = windows[text] == 1 ? sums[text].clone() : sums[text];
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += unitVectors[u][d];
                }
                sums[text] = sum;
            }
            windows[text]++;
        }
        boolean modelNormalizes = config.normalize() && options.normalizeOverride().orElse(true);
        boolean normalizeAfterTruncation = options.normalizeOverride().orElse(false);
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] v = sums[i];
            if (windows[i] > 1) {
                for (int d = 0; d < v.length; d++) {
                    v[d] /= windows[i];
                }
                v = modelNormalizes ? Normalize.l2(v) : v;
            }
            if (truncateDim() > 0) {
                v = Arrays.copyOf(v, truncateDim());
            }
            vectors[i] = normalizeAfterTruncation ? Normalize.l2(v) : v;
        }
        return vectors;
    }
}
