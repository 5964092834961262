package dev.sentence4j.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lucene's score, converted back, is the model's similarity. */
class LuceneSimilarityTest {
    @ParameterizedTest
    @EnumSource(value = SimilarityFunction.class, names = {"COSINE", "DOT", "EUCLIDEAN"})
    void convertsLuceneScoresBackToTheModelsSimilarity(SimilarityFunction function) {
        LuceneSimilarity lucene = LuceneSimilarity.of(function);
        Random random = new Random(7);
        for (int pair = 0; pair < 200; pair++) {
            float[] a = randomVector(random);
            float[] b = randomVector(random);
            float expected = function.score(a, b);

            float converted = lucene.modelScore(lucene.lucene().compare(a, b));

            // Float rounding in Lucene's arithmetic and in the conversion; the scores here run to about 10.
            assertThat(converted).as("pair %d: %s", pair, expected)
                    .isCloseTo(expected, within(2e-5f * Math.max(1, Math.abs(expected))));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SimilarityFunction.class, names = "MANHATTAN")
    void manhattanHasNoHnswEquivalent(SimilarityFunction function) {
        assertThatThrownBy(() -> LuceneSimilarity.of(function))
                .isInstanceOf(IndexException.class)
                .hasMessageContaining("manhattan distance, which Lucene's HNSW index does not support");
    }

    /** Unnormalized, with both signs, so dot products fall on both sides of zero. */
    private static float[] randomVector(Random random) {
        float[] vector = new float[16];
        float scale = 0.2f + random.nextFloat() * 2;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian() * scale;
        }
        return vector;
    }
}
