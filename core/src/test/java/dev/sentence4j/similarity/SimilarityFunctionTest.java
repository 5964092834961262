package dev.sentence4j.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimilarityFunctionTest {
    private static final float[] A = {3, 4};
    private static final float[] B = {4, 3};
    private static final float[] C = {-3, -4};

    @Test
    void scoresOnePair() {
        assertThat(SimilarityFunction.COSINE.score(A, B)).isCloseTo(24f / 25, within(1e-7f));
        assertThat(SimilarityFunction.DOT.score(A, B)).isEqualTo(24f);
        assertThat(SimilarityFunction.EUCLIDEAN.score(A, B)).isCloseTo((float) -Math.sqrt(2), within(1e-7f));
        assertThat(SimilarityFunction.MANHATTAN.score(A, B)).isEqualTo(-2f);
        assertThat(SimilarityFunction.COSINE.score(A, C)).isCloseTo(-1f, within(1e-7f));
    }

    @Test
    void cosineOfAZeroVectorIsZero() {
        assertThat(SimilarityFunction.COSINE.score(new float[] {0, 0}, A)).isZero();
    }

    @Test
    void matrixAndPairwiseAgreeWithSingleScores() {
        float[][] left = {A, B};
        float[][] right = {B, C, A};
        for (SimilarityFunction function : SimilarityFunction.values()) {
            float[][] matrix = function.matrix(left, right);
            assertThat(matrix.length).isEqualTo(2);
            for (int i = 0; i < left.length; i++) {
                for (int j = 0; j < right.length; j++) {
                    assertThat(matrix[i][j]).as("%s [%d][%d]", function, i, j).isEqualTo(function.score(left[i], right[j]));
                }
            }
            assertThat(function.pairwise(left, new float[][] {B, C}))
                    .containsExactly(function.score(A, B), function.score(B, C));
        }
    }

    @Test
    void namesAreThoseOfSentenceTransformers() {
        assertThat(SimilarityFunction.fromName("cosine")).isEqualTo(SimilarityFunction.COSINE);
        assertThat(SimilarityFunction.fromName("dot_product")).isEqualTo(SimilarityFunction.DOT);
        assertThat(SimilarityFunction.fromName("Euclidean")).isEqualTo(SimilarityFunction.EUCLIDEAN);
        assertThatThrownBy(() -> SimilarityFunction.fromName("jaccard"))
                .hasMessageContaining("jaccard").hasMessageContaining("manhattan");
    }

    @Test
    void refusesVectorsOfDifferentLengths() {
        assertThatThrownBy(() -> SimilarityFunction.DOT.score(A, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 and 1");
        assertThatThrownBy(() -> SimilarityFunction.DOT.pairwise(new float[][] {A}, new float[][] {A, B}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
