package dev.sentence4j.evaluation;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The result of an STS evaluation.
 *
 * @param pairs how many pairs were scored
 * @param scores the correlations of each similarity function's scores with the gold scores, in the
 *     order of {@link SimilarityFunction#values()}
 */
public record StsResult(int pairs, Map<SimilarityFunction, StsScore> scores) {
    public StsResult {
        Map<SimilarityFunction, StsScore> ordered = new EnumMap<>(SimilarityFunction.class);
        ordered.putAll(scores);
        scores = Collections.unmodifiableMap(ordered);
    }

    /** The correlations of one similarity function's scores. */
    public StsScore score(SimilarityFunction function) {
        return scores.get(function);
    }
}
