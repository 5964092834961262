package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SparseVectorTest {
    @Test
    void keepsTheNonZeroEntriesOfADenseVectorInOrder() {
        SparseVector vector = SparseVector.of(new float[] {0, 2.5f, 0, 0, -1, 0});

        assertThat(vector.indices()).containsExactly(1, 4);
        assertThat(vector.values()).containsExactly(2.5f, -1f);
        assertThat(vector.toArray(6)).containsExactly(0, 2.5f, 0, 0, -1, 0);
        assertThat(vector).isEqualTo(new SparseVector(new int[] {1, 4}, new float[] {2.5f, -1}));
        assertThat(vector).hasToString("SparseVector{1: 2.5, 4: -1.0}");
    }

    @Test
    void dotProductMeetsOnSharedIndices() {
        SparseVector a = new SparseVector(new int[] {1, 3, 7}, new float[] {1, 2, 3});
        SparseVector b = new SparseVector(new int[] {0, 3, 7, 9}, new float[] {5, 4, 0.5f, 8});

        assertThat(a.dot(b)).isEqualTo(2 * 4 + 3 * 0.5f);
        assertThat(a.dot(new SparseVector(new int[0], new float[0]))).isZero();
    }

    @Test
    void largestKeepsTheTopEntriesByAbsoluteValue() {
        SparseVector kept = SparseEncoder.largest(new float[] {0.5f, -3, 0, 2, 2, 1}, 3);

        // -3 and the two 2s; between equal values the lower index wins.
        assertThat(kept.indices()).containsExactly(1, 3, 4);
        assertThat(SparseEncoder.largest(new float[] {0.5f, -3, 0, 2, 2, 1}, 2).indices()).containsExactly(1, 3);
        assertThat(SparseEncoder.largest(new float[] {0, 1, 0}, 5).indices()).containsExactly(1);
    }

    @Test
    void refusesIndicesOutOfOrderOrOutOfRange() {
        assertThatThrownBy(() -> new SparseVector(new int[] {3, 3}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> new SparseVector(new int[] {1}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 indices but 2 values");
        assertThatThrownBy(() -> new SparseVector(new int[] {7}, new float[] {1}).toArray(5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 7 does not fit in 5 dimensions");
    }
}
