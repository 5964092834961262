package dev.sentence4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * How every model family runs its rows through the transformer: sorted longest first, as
 * sentence-transformers orders them, so each batch carries little padding; cut into batches within the
 * batch size and, padding included, the token budget; run on the model's workers; and the results put
 * back in the rows' order.
 */
final class LengthBatches {
    /** What one batch does. */
    @FunctionalInterface
    interface Batch<R> {
        /** One result for each of the rows (indices into the lengths, longest first), in the same order. */
        List<R> run(List<Integer> rows) throws Exception;
    }

    private LengthBatches() {}

    /**
     * Runs every row once and returns the results in the rows' order.
     *
     * @param lengths each row's token count, special tokens included
     */
    static <R> List<R> run(int[] lengths, int batchSize, int maxBatchTokens, Workers workers, Batch<R> batch) {
        List<List<Integer>> batches = batches(lengthOrder(lengths), lengths, batchSize, maxBatchTokens, workers.count());
        List<Callable<List<R>>> runs = new ArrayList<>(batches.size());
        for (List<Integer> rows : batches) {
            runs.add(() -> {
                List<R> results = batch.run(rows);
                if (results.size() != rows.size()) {
                    throw new IllegalStateException("a batch of " + rows.size() + " rows gave " + results.size() + " results");
                }
                return results;
            });
        }
        List<List<R>> results = workers.run(runs);
        Object[] inOrder = new Object[lengths.length];
        for (int b = 0; b < batches.size(); b++) {
            for (int k = 0; k < batches.get(b).size(); k++) {
                inOrder[batches.get(b).get(k)] = results.get(b).get(k);
            }
        }
        @SuppressWarnings("unchecked")
        List<R> ordered = (List<R>) Arrays.asList(inOrder);
        return ordered;
    }

    /** Longest first; equal lengths keep their order. */
    private static List<Integer> lengthOrder(int[] lengths) {
        List<Integer> order = new ArrayList<>(lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
        return order;
    }

    /**
     * Consecutive runs of the order, each within the batch size and, padding included, the token
     * budget; a call too small to give every worker a batch is split more finely so that it does.
     */
    private static List<List<Integer>> batches(List<Integer> order, int[] lengths, int batchSize, int maxBatchTokens,
            int workers) {
        int size = Math.min(batchSize, Math.max(1, (order.size() + workers - 1) / workers));
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        int longest = 0;
        for (int index : order) {
            int length = lengths[index];
            int widest = Math.max(longest, length);
            if (!batch.isEmpty() && (batch.size() == size || (long) widest * (batch.size() + 1) > maxBatchTokens)) {
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
}
