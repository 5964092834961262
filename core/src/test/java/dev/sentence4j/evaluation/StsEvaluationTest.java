package dev.sentence4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.similarity.SimilarityFunction;
import org.junit.jupiter.api.Test;

/**
 * Five pairs whose four kinds of score rank them differently. Expected correlations from scipy 1.17 on
 * the scores worked out by hand: cosine 1, 0, 1, -1, 0.8; dot 2, 0, 6, -1, 4; negative euclidean -1,
 * -√2, -2√2, -2, -√2; negative manhattan -1, -2, -4, -2, -2. The real-model figures are checked in
 * {@code StsBenchmarkTest}.
 */
class StsEvaluationTest {
    private static final float[][] FIRST = {{1, 0}, {1, 0}, {1, 1}, {1, 0}, {2, 1}};
    private static final float[][] SECOND = {{2, 0}, {0, 1}, {3, 3}, {-1, 0}, {1, 2}};
    private static final double[] GOLD = {4, 1, 3, 0, 2};

    @Test
    void correlatesEachKindOfScoreWithTheGoldScores() {
        StsResult result = StsEvaluation.evaluate(FIRST, SECOND, GOLD);

        assertThat(result.pairs()).isEqualTo(5);
        assertThat(result.scores().keySet()).containsExactly(SimilarityFunction.values());
        assertScore(result.score(SimilarityFunction.COSINE), 0.9140905301589133, 0.9746794344808963);
        assertScore(result.score(SimilarityFunction.DOT), 0.6625891564490793, 0.7);
        assertScore(result.score(SimilarityFunction.EUCLIDEAN), 0.13060193748187074, 0.35909242322980395);
        assertScore(result.score(SimilarityFunction.MANHATTAN), 0, 0.22360679774997896);
    }

    @Test
    void needsOneGoldScorePerPair() {
        assertThatThrownBy(() -> StsEvaluation.evaluate(FIRST, SECOND, new double[] {1, 2}))
                .hasMessage("need one gold score per pair: 5 pairs, 2 scores");
    }

    private static void assertScore(StsScore score, double pearson, double spearman) {
        assertThat(score.pearson()).as("pearson").isCloseTo(pearson, within(1e-6));
        assertThat(score.spearman()).as("spearman").isCloseTo(spearman, within(1e-6));
    }
}
