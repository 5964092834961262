package dev.sentence4j.search;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The obvious way: every score, one at a time, then a full sort. What the chunked code must equal. */
final class BruteForce {
    static final Comparator<Hit> BEST_FIRST = Comparator.comparing(Hit::score, Comparator.reverseOrder())
            .thenComparingInt(Hit::corpusIndex);

    private BruteForce() {}

    /** Every corpus vector scored against the query, best first, equal scores by lower index. */
    static List<Hit> ranking(float[] query, float[][] corpus, SimilarityFunction function) {
        List<Hit> all = new ArrayList<>();
        for (int j = 0; j < corpus.length; j++) {
            all.add(new Hit(j, function.score(query, corpus[j])));
        }
        all.sort(BEST_FIRST);
        return all;
    }

    static List<Hit> top(float[] query, float[][] corpus, int k, SimilarityFunction function) {
        List<Hit> all = ranking(query, corpus, function);
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }
}
