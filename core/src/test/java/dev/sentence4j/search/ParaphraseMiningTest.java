package dev.sentence4j.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.similarity.SimilarityFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParaphraseMiningTest {

    /** Every text's k nearest others from a full sort of its scores; each pair once; best first; the first maxPairs. */
    private static List<ScoredPair> bruteForce(float[][] vectors, SimilarityFunction function, int k, int maxPairs) {
        Map<List<Integer>, Float> pairs = new HashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            int taken = 0;
            for (Hit hit : BruteForce.ranking(vectors[i], vectors, function)) {
                if (hit.corpusIndex() != i && taken++ < k) {
                    pairs.put(List.of(Math.min(i, hit.corpusIndex()), Math.max(i, hit.corpusIndex())), hit.score());
                }
            }
        }
        List<ScoredPair> all = new ArrayList<>();
        pairs.forEach((pair, score) -> all.add(new ScoredPair(pair.get(0), pair.get(1), score)));
        all.sort(Comparator.comparing(ScoredPair::score, Comparator.reverseOrder())
                .thenComparingInt(ScoredPair::first).thenComparingInt(ScoredPair::second));
        return all.subList(0, Math.min(maxPairs, all.size()));
    }

    @ParameterizedTest(name = "top {0}, at most {1} pairs, chunks {2}x{3}")
    @CsvSource({"3, 100000, 100, 10000", "3, 50, 13, 40", "1, 100000, 7, 1000", "10, 400, 64, 64"})
    void equalsBruteForceOnRealSentences(int topK, int maxPairs, int queryChunk, int corpusChunk) {
        // The first 300 STSb dev sentences, with sentence 5 twice: its two copies tie with every other text.
        float[][] vectors = Arrays.copyOf(StsbVectors.vectors(), 301);
        vectors[300] = vectors[5].clone();

        List<ScoredPair> mined = ParaphraseMining.mine(vectors, SimilarityFunction.COSINE, topK, maxPairs,
                new ChunkSizes(queryChunk, corpusChunk));

        assertThat(mined).isEqualTo(bruteForce(vectors, SimilarityFunction.COSINE, topK, maxPairs));
        // Not from the scores under test: a text and its copy have cosine 1, above any other pair.
        assertThat(mined.get(0)).extracting(ScoredPair::first, ScoredPair::second).containsExactly(5, 300);
        assertThat(mined.get(0).score()).isCloseTo(1f, within(1e-6f));
        assertThat(mined.get(1).score()).isLessThan(0.999f);
    }

    @Test
    void findsTheParaphrasesOfAList() {
        List<String> texts = List.of("A man is playing a guitar.", "The cat sleeps on the sofa.",
                "Stock markets fell sharply today.", "A man plays the guitar.", "A cat is sleeping on a couch.");

        List<ScoredPair> pairs = ParaphraseMining.mine(TestModels.get(Shared.MINILM), texts, 1);

        assertThat(pairs.subList(0, 2)).extracting(p -> p.first() + "~" + p.second())
                .containsExactlyInAnyOrder("0~3", "1~4");
        assertThat(pairs).extracting(ScoredPair::score).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void smallListsAndBadArguments() {
        assertThat(ParaphraseMining.mine(new float[][] {{1, 0}}, SimilarityFunction.COSINE, 5, 10, ChunkSizes.defaults()))
                .isEmpty();
        assertThat(ParaphraseMining.mine(new float[][] {{1, 0}, {1, 1}}, SimilarityFunction.DOT, 5, 10, ChunkSizes.defaults()))
                .containsExactly(new ScoredPair(0, 1, 1f));
        assertThatThrownBy(() -> ParaphraseMining.mine(new float[][] {{1, 0}}, SimilarityFunction.COSINE, 1, 0,
                ChunkSizes.defaults())).hasMessage("max pairs must be at least 1, got 0");
    }
}
