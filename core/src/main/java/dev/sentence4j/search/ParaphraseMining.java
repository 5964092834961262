package dev.sentence4j.search;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The most similar pairs within one list of texts, as sentence-transformers' {@code paraphrase_mining}:
 * each text keeps its {@code topK} nearest other texts, scanned a block at a time so the {@code n × n}
 * score matrix is never held, and the pairs so found are deduplicated and ranked.
 */
public final class ParaphraseMining {
    /** Nearest texts kept per text, as sentence-transformers' default. */
    public static final int DEFAULT_TOP_K = 100;
    /** The most pairs returned, as sentence-transformers' default. */
    public static final int DEFAULT_MAX_PAIRS = 500_000;

    private static final Comparator<ScoredPair> BEST_FIRST = Comparator
            .comparing(ScoredPair::score, Comparator.reverseOrder())
            .thenComparingInt(ScoredPair::first)
            .thenComparingInt(ScoredPair::second);

    private ParaphraseMining() {}

    /** Encodes the texts and mines them by the model's similarity function, with the default pair limit. */
    public static List<ScoredPair> mine(SentenceTransformer model, List<String> texts, int topK) {
        return mine(model.encode(texts), model.similarityFunction(), topK, DEFAULT_MAX_PAIRS, ChunkSizes.defaults());
    }

    /**
     * The pairs {@code (i, j)}, {@code i < j}, where one of the two is among the other's {@code topK}
     * most similar texts (equal scores by lower index), each pair once, best first (equal scores by
     * lower indices), at most {@code maxPairs} of them.
     *
     * @throws IllegalArgumentException if {@code topK} or {@code maxPairs} is below 1, or the vectors differ in length
     */
    public static List<ScoredPair> mine(float[][] vectors, SimilarityFunction function, int topK, int maxPairs,
            ChunkSizes chunks) {
        SemanticSearch.requirePositive(topK, "top k");
        SemanticSearch.requirePositive(maxPairs, "max pairs");
        // A pair found from both of its ends comes twice with the same score (every similarity function
        // is symmetric, to the bit), so the set keeps it once.
        TreeSet<ScoredPair> best = new TreeSet<>(BEST_FIRST);
        int k = Math.min(topK, vectors.length - 1);
        for (int start = 0; start < vectors.length && k > 0; start += chunks.queries()) {
            int end = Math.min(vectors.length, start + chunks.queries());
            TopHits[] nearest = SemanticSearch.best(vectors, start, end, vectors, k, function, chunks, true);
            for (int q = 0; q < nearest.length; q++) {
                for (Hit hit : nearest[q].best()) {
                    int i = start + q;
                    int j = hit.corpusIndex();
                    best.add(new ScoredPair(Math.min(i, j), Math.max(i, j), hit.score()));
                    if (best.size() > maxPairs) {
                        best.pollLast();
                    }
                }
            }
        }
        return List.copyOf(best);
    }
}
