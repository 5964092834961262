package dev.sentence4j.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.module.TokenEmbeddings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each pooling mode on a tiny batch: two rows of three tokens, two values each; row 1 has one padded
 * token whose values are large so that counting it would show.
 */
class PoolingTest {
    private static final TokenEmbeddings BATCH = new TokenEmbeddings(
            new float[] {
                1, 2, 3, 4, 5, -6, // row 0: three real tokens
                2, -2, 4, 0, 100, 100 // row 1: two real tokens, then padding
            },
            new long[] {1, 1, 1, 1, 1, 0}, 2, 3, 2);

    private static float[][] pool(PoolingMode... modes) {
        return new Pooling(2, List.of(modes)).pool(BATCH);
    }

    @Test
    void meanIgnoresPadding() {
        assertThat(pool(PoolingMode.MEAN)).isDeepEqualTo(new float[][] {{3, 0}, {3, -1}});
    }

    @Test
    void clsTakesTheFirstToken() {
        assertThat(pool(PoolingMode.CLS)).isDeepEqualTo(new float[][] {{1, 2}, {2, -2}});
    }

    @Test
    void maxIgnoresPadding() {
        assertThat(pool(PoolingMode.MAX)).isDeepEqualTo(new float[][] {{5, 4}, {4, 0}});
    }

    @Test
    void meanSqrtLenDividesTheSumByTheRootOfTheCount() {
        float[][] pooled = pool(PoolingMode.MEAN_SQRT_LEN);

        assertThat(pooled[0][0]).isCloseTo((float) (9 / Math.sqrt(3)), within(1e-6f));
        assertThat(pooled[1][1]).isCloseTo((float) (-2 / Math.sqrt(2)), within(1e-6f));
    }

    @Test
    void weightedMeanWeighsByPosition() {
        float[][] pooled = pool(PoolingMode.WEIGHTED_MEAN);

        assertThat(pooled[0]).containsExactly((1 * 1 + 2 * 3 + 3 * 5) / 6f, (1 * 2 + 2 * 4 + 3 * -6) / 6f);
        assertThat(pooled[1]).containsExactly((1 * 2 + 2 * 4) / 3f, (1 * -2 + 2 * 0) / 3f);
    }

    @Test
    void lastTokenTakesTheLastRealToken() {
        assertThat(pool(PoolingMode.LAST_TOKEN)).isDeepEqualTo(new float[][] {{5, -6}, {4, 0}});
    }

    @Test
    void severalModesConcatenateInTheOrderGiven() {
        // Not the enum's order: a Pooling that sorted its modes would put cls first.
        Pooling pooling = new Pooling(2, List.of(PoolingMode.MEAN, PoolingMode.CLS, PoolingMode.MAX));

        assertThat(pooling.outputDimension()).isEqualTo(6);
        assertThat(pooling.pool(BATCH)[1]).containsExactly(3, -1, 2, -2, 4, 0);
        assertThat(pooling.modes()).containsExactly(PoolingMode.MEAN, PoolingMode.CLS, PoolingMode.MAX);
        assertThat(pooling).hasToString("mean+cls+max");
    }

    /** The same two rows padded on the left, as a decoder's are: row 1 starts with its padding. */
    private static final TokenEmbeddings LEFT_PADDED = new TokenEmbeddings(
            new float[] {
                1, 2, 3, 4, 5, -6, // row 0: three real tokens
                100, 100, 2, -2, 4, 0 // row 1: padding, then two real tokens
            },
            new long[] {1, 1, 1, 0, 1, 1}, 2, 3, 2);

    private static float[] poolLeftPadded(PoolingMode mode) {
        return new Pooling(2, List.of(mode)).pool(LEFT_PADDED)[1];
    }

    @Test
    void withLeftPaddingClsIsTheFirstRealTokenAndLastTokenTheLastPosition() {
        assertThat(poolLeftPadded(PoolingMode.CLS)).containsExactly(2, -2);
        assertThat(poolLeftPadded(PoolingMode.LAST_TOKEN)).containsExactly(4, 0);
        assertThat(poolLeftPadded(PoolingMode.MEAN)).containsExactly(3, -1);
        assertThat(poolLeftPadded(PoolingMode.MAX)).containsExactly(4, 0);
    }

    @Test
    void weightedMeanWeightsCountThePaddingBeforeAToken() {
        // Positions 2 and 3 of the padded row, as sentence-transformers weighs them.
        assertThat(poolLeftPadded(PoolingMode.WEIGHTED_MEAN)).containsExactly((2 * 2 + 3 * 4) / 5f, (2 * -2 + 3 * 0) / 5f);
    }

    @Test
    void anExcludedPromptIsMaskedAfterTheLeftPadding() {
        Pooling pooling = new Pooling(2, List.of(PoolingMode.MEAN, PoolingMode.CLS), false);

        float[][] pooled = pooling.pool(LEFT_PADDED, new int[] {1, 1});

        assertThat(pooled[0]).containsExactly(4, -1, 3, 4);
        assertThat(pooled[1]).containsExactly(4, 0, 4, 0);
    }

    @Test
    void aRowWithoutRealTokensPoolsAsSentenceTransformers6Does() {
        TokenEmbeddings empty = new TokenEmbeddings(new float[] {7, 7}, new long[] {0}, 1, 1, 2);

        assertThat(new Pooling(2, List.of(PoolingMode.MAX)).pool(empty)[0])
                .containsExactly(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertThat(new Pooling(2, List.of(PoolingMode.LAST_TOKEN)).pool(empty)[0]).containsExactly(0, 0);
        assertThat(new Pooling(2, List.of(PoolingMode.CLS)).pool(empty)[0]).containsExactly(7, 7);
    }

    @Test
    void aRowWithoutRealTokensPoolsToZeroNotNaN() {
        TokenEmbeddings empty = new TokenEmbeddings(new float[] {7, 7}, new long[] {0}, 1, 1, 2);

        assertThat(Pooling.mean(2).pool(empty)[0]).containsExactly(0, 0);
    }

    @Test
    void refusesTokenVectorsOfAnotherSize() {
        assertThatThrownBy(() -> Pooling.mean(3).pool(BATCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3").hasMessageContaining("2");
    }
}
