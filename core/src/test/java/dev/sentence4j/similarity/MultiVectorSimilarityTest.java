package dev.sentence4j.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vectorizable MaxSim kernel against a plain double-precision loop, on blocks of awkward sizes. */
class MultiVectorSimilarityTest {
    @Test
    void maxSimMatchesThePlainLoopForEveryShape() {
        Random random = new Random(5);
        List<float[][]> queries = new ArrayList<>();
        // Query token counts around the kernel's blocks of four, and a document wider than the first one.
        for (int tokens : new int[] {1, 3, 4, 5, 32, 7}) {
            queries.add(block(random, tokens, 24));
        }
        List<float[][]> documents = new ArrayList<>();
        for (int tokens : new int[] {1, 9, 180, 2, 33}) {
            documents.add(block(random, tokens, 24));
        }
        float[][] scores = MultiVectorSimilarity.MAXSIM.matrix(queries, documents);
        float[][] means = MultiVectorSimilarity.MEAN_MAXSIM.matrix(queries, documents);
        for (int i = 0; i < queries.size(); i++) {
            for (int j = 0; j < documents.size(); j++) {
                double expected = plain(queries.get(i), documents.get(j));
                assertThat((double) scores[i][j]).isCloseTo(expected, offset(1e-4));
                assertThat((double) means[i][j]).isCloseTo(expected / queries.get(i).length, offset(1e-5));
                assertThat(MultiVectorSimilarity.MAXSIM.score(queries.get(i), documents.get(j))).isEqualTo(scores[i][j]);
            }
        }
    }

    @Test
    void anEmptyDocumentScoresBelowEverythingAndAnEmptyQueryZero() {
        float[][] query = {{1, 0}, {0, 1}};
        float[][] none = new float[0][];
        assertThat(MultiVectorSimilarity.MAXSIM.score(query, none)).isEqualTo(-1e9f);
        assertThat(MultiVectorSimilarity.MEAN_MAXSIM.score(query, none)).isEqualTo(-1e9f / 2);
        assertThat(MultiVectorSimilarity.MAXSIM.score(none, query)).isZero();
        // Negative similarities are kept, not clipped at zero.
        assertThat(MultiVectorSimilarity.MAXSIM.score(new float[][] {{-1, 0}}, new float[][] {{1, 0}, {0.5f, 0}})).isEqualTo(-0.5f);
    }

    @Test
    void vectorsOfAnotherLengthAreNamed() {
        List<float[][]> queries = List.<float[][]>of(new float[][] {{1, 0}});
        List<float[][]> documents = List.of(new float[][] {{1, 0}}, new float[][] {{1, 0}, {1, 0, 0}});
        assertThatThrownBy(() -> MultiVectorSimilarity.MAXSIM.matrix(queries, documents))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("document 1, token 1: expected a vector of 2 values, got 3 values");
        assertThat(MultiVectorSimilarity.fromName("MeanMaxSim")).isEqualTo(MultiVectorSimilarity.MEAN_MAXSIM);
        assertThatThrownBy(() -> MultiVectorSimilarity.fromName("cosine")).hasMessageContaining("maxsim, meanmaxsim");
    }

    private static float[][] block(Random random, int tokens, int dimension) {
        float[][] block = new float[tokens][dimension];
        for (float[] vector : block) {
            for (int k = 0; k < dimension; k++) {
                vector[k] = (float) random.nextGaussian();
            }
        }
        return block;
    }

    private static double plain(float[][] query, float[][] document) {
        double total = 0;
        for (float[] q : query) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] d : document) {
                double dot = 0;
                for (int k = 0; k < q.length; k++) {
                    dot += (double) q[k] * d[k];
                }
                best = Math.max(best, dot);
            }
            total += best;
        }
        return total;
    }
}
