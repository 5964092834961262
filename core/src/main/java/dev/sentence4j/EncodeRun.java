package dev.sentence4j;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.module.Features;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code encode} call on tokenized texts: apply the long-input policy, run the pipeline (input
 * module, pooling, layers) in {@link LengthBatches}, then put the vectors back in the caller's order. A text
 * chunked into windows is encoded a group of windows at a time, each group's vectors added to the text's
 * sum as they come, so memory holds one group however long the text.
 */
final class EncodeRun {
    /** A row the transformer runs: a whole text, or one window of a chunked text. */
    private record Row(int text, Tokens tokens, int promptLength) {}

    /** What one batch gives for each of its rows, in order. */
    @FunctionalInterface
    private interface PerRow<R> {
        List<R> outputs(List<Row> rows, BatchEncoding encoding);
    }

    /** Batches of windows each worker gets per group of a chunked text. */
    private static final int WINDOW_BATCHES_PER_WORKER = 4;

    private final Pipeline pipeline;
    private final Tokenizer tokenizer;
    private final int savedTruncateDim;
    private final Workers workers;
    private final EncodeOptions options;

    /** @param savedTruncateDim the model's {@code truncate_dim}, or 0 for none */
    EncodeRun(Pipeline pipeline, int savedTruncateDim, Workers workers, EncodeOptions options) {
        this.pipeline = pipeline;
        this.tokenizer = pipeline.tokenizer();
        this.savedTruncateDim = savedTruncateDim;
        this.workers = workers;
        this.options = options;
    }

    EncodeResult vectors(TokenizedTexts<String> texts) {
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
        String prompt = texts.prompt();
        for (int c = 0; c < chunked.size(); c++) {
            int text = chunked.get(c);
            String input = texts.texts().get(text);
            List<Tokens> all = tokenizer.windows(prompt == null ? input : prompt + input, options.chunkStride());
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

    List<float[][]> tokenEmbeddings(TokenizedTexts<String> texts) {
        List<Row> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            rows.add(new Row(i, texts.tokens().get(i), 0));
        }
        return runBatches(rows, (batch, encoding) -> {
            TokenEmbeddings embeddings = pipeline.input().features(encoding).tokens();
            if (embeddings == null) {
                throw new UnsupportedOperationException("the model's " + pipeline.input().getClass().getSimpleName()
                        + " gives no token embeddings, only " + pipeline.input().gives().label());
            }
            List<float[][]> perRow = new ArrayList<>(batch.size());
            for (int row = 0; row < batch.size(); row++) {
                float[][] vectors = new float[encoding.tokenCount(row)][];
                for (int t = 0, real = 0; t < encoding.sequenceLength(); t++) {
                    if (embeddings.isReal(row, t)) {
                        vectors[real++] = embeddings.vector(row, t);
                    }
                }
                perRow.add(vectors);
            }
            return perRow;
        });
    }

    /** Each row's sentence vector: through every module, Normalize left out where the options say. */
    private List<float[]> vectors(List<Row> rows, BatchEncoding encoding) {
        boolean skipNormalize = options.normalizeOverride().filter(on -> !on).isPresent();
        Features features = pipeline.run(encoding, rows.stream().mapToInt(Row::promptLength).toArray(), skipNormalize);
        return Arrays.asList(features.sentence());
    }

    /** Runs the rows through the pipeline in length-sorted batches and gives each row's output, in the rows' order. */
    private <R> List<R> runBatches(List<Row> rows, PerRow<R> perRow) {
        int[] lengths = rows.stream().mapToInt(row -> row.tokens().length()).toArray();
        return LengthBatches.run(lengths, options.batchSize(), options.maxBatchTokens(), workers, batch -> {
            List<Row> batchRows = batch.stream().map(rows::get).toList();
            BatchEncoding encoding = tokenizer.pad(batchRows.stream().map(Row::tokens).toList());
            return perRow.outputs(batchRows, encoding);
        });
    }

    private void report(double done, int total) {
        if (options.progress() != null) {
            options.progress().encoded(done, total);
        }
    }

    /** The dimensions to keep: the caller's choice, else the model's saved {@code truncate_dim}, else 0 for all. */
    private int truncateDim() {
        return options.truncateDim() > 0 ? options.truncateDim() : savedTruncateDim;
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
        boolean modelNormalizes = pipeline.normalizes() && options.normalizeOverride().orElse(true);
        boolean normalizeAfterTruncation = options.normalizeOverride().orElse(false);
        int keep = truncateDim();
        float[][] vectors = new float[sums.length][];
        for (int i = 0; i < sums.length; i++) {
            float[] v = sums[i];
            if (windows[i] > 1) {
                for (int d = 0; d < v.length; d++) {
                    v[d] /= windows[i];
                }
                v = modelNormalizes ? Normalize.l2(v) : v;
            }
            if (keep > 0) {
                v = Arrays.copyOf(v, keep);
            }
            vectors[i] = normalizeAfterTruncation ? Normalize.l2(v) : v;
        }
        return vectors;
    }
}
