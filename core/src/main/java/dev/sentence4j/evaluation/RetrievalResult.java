package dev.sentence4j.evaluation;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of an information retrieval evaluation.
 *
 * @param queries how many queries were evaluated (those with at least one relevant document)
 * @param scores the scores at each cutoff k, by k
 */
public record RetrievalResult(int queries, SortedMap<Integer, RetrievalScores> scores) {
    public RetrievalResult {
        scores = Collections.unmodifiableSortedMap(new TreeMap<>(scores));
    }

    /**
     * The scores at cutoff {@code k}.
     *
     * @throws IllegalArgumentException if {@code k} was not one of the evaluation's cutoffs
     */
    public RetrievalScores at(int k) {
        RetrievalScores at = scores.get(k);
        if (at == null) {
            throw new IllegalArgumentException("no scores at k = " + k + "; the cutoffs were " + scores.keySet());
        }
        return at;
    }
}
