package dev.sentence4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Expected values computed with scipy 1.17 ({@code spearmanr}, {@code pearsonr}). */
class CorrelationTest {

    @Test
    void spearmanGivesTiesTheirAverageRank() {
        double[] x = {1, 2, 2, 3, 5, 5, 5};
        double[] y = {2, 1, 4, 3, 7, 6, 6};

        assertThat(Correlation.ranks(x)).containsExactly(1, 2.5, 2.5, 4, 6, 6, 6);
        assertThat(Correlation.spearman(x, y)).isCloseTo(0.8496617760555312, within(1e-12));
    }

    @Test
    void pearsonIsTheLinearCorrelation() {
        assertThat(Correlation.pearson(new double[] {1, 2, 3, 4.5}, new double[] {2, 1, 4, 3.5}))
                .isCloseTo(0.6789881857234772, within(1e-12));
        assertThat(Correlation.pearson(new double[] {1, 2, 3}, new double[] {-2, -4, -6})).isCloseTo(-1, within(1e-12));
    }
}
