package dev.sentence4j;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.model.ModelConfig;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.transformer.TokenEmbeddings;
import dev.sentence4j.transformer.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One {@code encode} call on tokenized texts: apply the long-input policy, run the transformer in
 * length-sorted batches under a token budget, pool, apply the layers, then put the vectors back in the
 * caller's order. A text chunked into windows is encoded a group of windows at a time, each group's
 * vectors added to the text's sum as they come, so memory holds one group however long the text.
 */
final class EncodeRun {
    /** A row the transformer runs: a whole text, or one window of a chunked text. */
    private record Row(int text, Tokens tokens, int promptLength) {}

    /** What one batch gives for each of its rows, in order. */
    @FunctionalInterface
    private interface PerRow<R> {
        List<R> outputs(List<Row> rows, BatchEncoding encoding, TokenEmbeddings embeddings);
    }

    /** Batches of windows each worker gets per group of a chunked text. */
    private static final int WINDOW_BATCHES_PER_WORKER = 4;

    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final Transformer transformer;
    private final Workers workers;
    private final EncodeOptions options;

    EncodeRun(ModelConfig config, Tokenizer tokenizer, Transformer transformer, Workers workers, EncodeOptions options) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.transformer = transformer;
        this.workers = workers;
        this.options = options;
    }

    EncodeResult vectors(TokenizedTexts texts) {
        int count = texts.size();
        int[] counts = new int[count];
        boolean[] truncated = new boolean[count];
        List<Row> whole = new ArrayList<>(count);
        List<Integer> chunked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Tokens t = texts.tokens().get(i);
            counts[i] = t.untruncatedLength();
            if (!t.truncated() || options.longInputs() == LongInputs.TRUNCATE) {
                truncated[i] = t.truncated();
                whole.add(new Row(i, t, texts.promptLength()));
            } else if (options.longInputs() == LongInputs.ERROR) {
                throw new TextTooLongException(i, t.untruncatedLength(), tokenizer.settings().maxSeqLength());
            } else {
                chunked.add(i);
            }
        }
        float[][] sums = new float[count][];
        int[] windows = new int[count];
        addAll(sums, windows, whole, runBatches(whole, this::vectors));
        report(whole.size(), count);
        // A group of windows gives every worker several full batches, so that little time is lost waiting
        // for the group's last batch, and keeps memory to one group.
        int group = WINDOW_BATCHES_PER_WORKER * options.batchSize() * workers.count();
        for (int c = 0; c < chunked.size(); c++) {
            int text = chunked.get(c);
            List<Tokens> all = tokenizer.windows(texts.inputs().get(text), options.chunkStride());
            for (int from = 0; from < all.size(); from += group) {
                List<Row> rows = new ArrayList<>(group);
                for (int w = from; w < Math.min(all.size(), from + group); w++) {
                    rows.add(new Row(text, all.get(w), w == 0 ? texts.promptLength() : 0));
                }
                addAll(sums, windows, rows, runBatches(rows, this::vectors));
                report(whole.size() + c + (from + rows.size()) / (double) all.size(), count);
            }
        }
        return new EncodeResult(finish(sums, windows), counts, truncated);
    }

    List<float[][]> tokenEmbeddings(TokenizedTexts texts) {
        List<Row> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            rows.add(new Row(i, texts.tokens().get(i), 0));
        }
        return runBatches(rows, (batch, encoding, embeddings) -> {
            List<float[][]> perRow = new ArrayList<>(batch.size());
            for (int row = 0; row < batch.size(); row++) {
                float[][] tokens = new float[encoding.tokenCount(row)][];
                for (int t = 0; t < tokens.length; t++) {
                    tokens[t] = embeddings.vector(row, t);
                }
                perRow.add(tokens);
            }
            return perRow;
        });
    }

    /** Each row's sentence vector: pooled, then through the model's layers. */
    private List<float[]> vectors(List<Row> rows, BatchEncoding encoding, TokenEmbeddings embeddings) {
        float[][] pooled = config.pooling().pool(embeddings, rows.stream().mapToInt(Row::promptLength).toArray());
        List<float[]> vectors = new ArrayList<>(pooled.length);
        for (float[] vector : pooled) {
            vectors.add(applyLayers(vector));
        }
        return vectors;
    }

    /**
     * Runs the rows through the transformer in length-sorted batches on the workers and gives each row's
     * output, in the rows' order.
     */
    private <R> List<R> runBatches(List<Row> rows, PerRow<R> perRow) {
        List<List<Integer>> batches = batches(lengthOrder(rows), rows);
        List<Callable<List<R>>> runs = new ArrayList<>(batches.size());
        for (List<Integer> batch : batches) {
            List<Row> batchRows = batch.stream().map(rows::get).toList();
            runs.add(() -> {
                BatchEncoding encoding = tokenizer.pad(batchRows.stream().map(Row::tokens).toList());
                return perRow.outputs(batchRows, encoding, transformer.run(encoding));
            });
        }
        List<List<R>> results = workers.run(runs);
        List<R> byRow = new ArrayList<>(Collections.nCopies(rows.size(), null));
        for (int b = 0; b < batches.size(); b++) {
            for (int k = 0; k < batches.get(b).size(); k++) {
                byRow.set(batches.get(b).get(k), results.get(b).get(k));
            }
        }
        return byRow;
    }

    private void report(double done, int total) {
        if (options.progress() != null) {
            options.progress().encoded(done, total);
        }
    }

    /** Longest first, as sentence-transformers orders its batches, so each carries little padding. */
    private static List<Integer> lengthOrder(List<Row> rows) {
        List<Integer> order = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> rows.get(i).tokens().length()).reversed());
        return order;
    }

    /**
     * Consecutive runs of the order, each within the batch size and, padding included, the token
     * budget; a call too small to give every worker a batch is split more finely so that it does.
     */
    private List<List<Integer>> batches(List<Integer> order, List<Row> rows) {
        int size = Math.min(options.batchSize(), Math.max(1, (order.size() + workers.count() - 1) / workers.count()));
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        int longest = 0;
        for (int index : order) {
            int length = rows.get(index).tokens().length();
            int widest = Math.max(longest, length);
            if (!batch.isEmpty() && (batch.size() == size
                    || (long) widest * (batch.size() + 1) > options.maxBatchTokens())) {
                batches.add(batch);
                batch = new ArrayList<>();
                widest = length;
            }
            batch.add(index);
            longest = widest;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
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

    /** Adds each row's vector to its text's sum, counting the text's windows. */
    private static void addAll(float[][] sums, int[] windows, List<Row> rows, List<float[]> vectors) {
        for (int r = 0; r < rows.size(); r++) {
            int text = rows.get(r).text();
            float[] vector = vectors.get(r);
            if (sums[text] == null) {
                sums[text] = vector;
            } else {
                for (int d = 0; d < vector.length; d++) {
                    sums[text][d] += vector[d];
                }
            }
            windows[text]++;
        }
    }

    /** Averages chunk windows per text, then truncates dimensions and normalizes as asked. */
    private float[][] finish(float[][] sums, int[] windows) {
        boolean modelNormalizes = config.normalize() && options.normalizeOverride().orElse(true);
        boolean normalizeAfterTruncation = options.normalizeOverride().orElse(false);
        float[][] vectors = new float[sums.length][];
        for (int i = 0; i < sums.length; i++) {
            float[] v = sums[i];
            if (windows[i] > 1) {
                for (int d = 0; d < v.length; d++) {
                    v[d] /= windows[i];
                }
                v = modelNormalizes ? Normalize.l2(v) : v;
            }
            if (options.truncateDim() > 0) {
                v = Arrays.copyOf(v, options.truncateDim());
            }
            vectors[i] = normalizeAfterTruncation ? Normalize.l2(v) : v;
        }
        return vectors;
    }
}
