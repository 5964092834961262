package dev.sentence4j.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.module.TokenEmbeddings;
import org.junit.jupiter.api.Test;

class SpladePoolingTest {
    /** Two rows of three tokens over a vocabulary of three; the second row's last token is padding. */
    private static final TokenEmbeddings LOGITS = new TokenEmbeddings(new float[] {
            1, -2, 0,   3, -1, 0,   0.5f, -3, 0,
            2, 1, -1,   -4, 4, -1,  9, 9, 9},
            new long[] {1, 1, 1, 1, 1, 0}, 2, 3, 3);

    private static float w(double x) {
        return (float) Math.log1p(x);
    }

    @Test
    void maxTakesTheLargestWeightOfTheRealTokens() {
        float[][] pooled = new SpladePooling(SpladePooling.Strategy.MAX, SpladePooling.Activation.RELU).pool(LOGITS);

        assertThat(pooled[0]).containsExactly(new float[] {w(3), 0, 0}, within(1e-7f));
        // The padded token's 9s are masked before the relu: they weigh nothing.
        assertThat(pooled[1]).containsExactly(new float[] {w(2), w(4), 0}, within(1e-7f));
    }

    @Test
    void sumAddsTheWeightsOfTheRealTokens() {
        float[][] pooled = new SpladePooling(SpladePooling.Strategy.SUM, SpladePooling.Activation.RELU).pool(LOGITS);

        assertThat(pooled[0]).containsExactly(new float[] {w(1) + w(3) + w(0.5), 0, 0}, within(1e-6f));
        assertThat(pooled[1]).containsExactly(new float[] {w(2), w(1) + w(4), 0}, within(1e-6f));
    }

    @Test
    void log1pReluTakesOneMoreLogarithm() {
        float[][] pooled = new SpladePooling(SpladePooling.Strategy.MAX, SpladePooling.Activation.LOG1P_RELU).pool(LOGITS);

        assertThat(pooled[1]).containsExactly(new float[] {w(w(2)), w(w(4)), 0}, within(1e-7f));
    }
}
