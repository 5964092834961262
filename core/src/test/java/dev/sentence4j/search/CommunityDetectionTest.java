package dev.sentence4j.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommunityDetectionTest {

    /** sentence-transformers' algorithm step by step, on the full score matrix. */
    private static List<List<Integer>> bruteForce(float[][] vectors, float threshold, int minSize) {
        int smallest = Math.min(minSize, vectors.length);
        float[][] scores = SimilarityFunction.COSINE.matrix(vectors, vectors);
        List<List<Integer>> proposals = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            List<Hit> close = new ArrayList<>();
            for (int j = 0; j < vectors.length; j++) {
                if (scores[i][j] >= threshold) {
                    close.add(new Hit(j, scores[i][j]));
                }
            }
            if (close.size() >= smallest) {
                close.sort(BruteForce.BEST_FIRST);
                proposals.add(close.stream().map(Hit::corpusIndex).toList());
            }
        }
        proposals.sort(Comparator.comparingInt((List<Integer> p) -> p.size()).reversed());
        Set<Integer> taken = new HashSet<>();
        List<List<Integer>> communities = new ArrayList<>();
        for (List<Integer> proposal : proposals) {
            List<Integer> free = proposal.stream().filter(j -> !taken.contains(j)).toList();
            if (free.size() >= smallest) {
                communities.add(free);
                taken.addAll(free);
            }
        }
        communities.sort(Comparator.comparingInt((List<Integer> c) -> c.size()).reversed());
        return communities;
    }

    @ParameterizedTest(name = "threshold {0}, min size {1}, chunks {2}x{3}")
    @CsvSource({"0.75, 2, 100, 10000", "0.6, 3, 17, 50", "0.5, 5, 64, 1000", "0.8, 1, 100, 10000"})
    void equalsBruteForceOnRealSentences(float threshold, int minSize, int queryChunk, int corpusChunk) {
        float[][] vectors = Arrays.copyOf(StsbVectors.vectors(), 400);

        List<List<Integer>> communities = CommunityDetection.detect(vectors, threshold, minSize,
                new ChunkSizes(queryChunk, corpusChunk));

        assertThat(communities).isEqualTo(bruteForce(vectors, threshold, minSize)).isNotEmpty();
        assertThat(communities.stream().mapToInt(List::size).sum())
                .isEqualTo(communities.stream().flatMap(List::stream).distinct().count());
    }

    /** Unit vectors at these angles, in degrees; a cosine of 0.9 is about 25.8 degrees apart. */
    private static float[][] atAngles(double... degrees) {
        return Arrays.stream(degrees).mapToObj(d -> new float[] {(float) Math.cos(Math.toRadians(d)),
                (float) Math.sin(Math.toRadians(d))}).toArray(float[][]::new);
    }

    @Test
    void theLargestProposalTakesTheTextTwoCommunitiesShare() {
        // 0-3 are close together, 5-7 too; 4 (38 degrees) reaches 3 and 5; 8 is alone.
        float[][] vectors = atAngles(0, 5, 10, 20, 38, 60, 65, 70, 150);

        // Text 3 reaches 0, 1, 2 and 4: the largest proposal, taken first with 4 in it; text 5's
        // proposal (4, 5, 6, 7) loses 4 and keeps 5, 6, 7; the others propose only taken texts.
        assertThat(CommunityDetection.detect(vectors, 0.9f, 3))
                .containsExactly(List.of(3, 2, 1, 4, 0), List.of(5, 6, 7));
        // With 4 as the smallest size, 5, 6 and 7 are too few once 4 is gone.
        assertThat(CommunityDetection.detect(vectors, 0.9f, 4)).containsExactly(List.of(3, 2, 1, 4, 0));
        // A smallest size above the count means the whole list, as sentence-transformers does.
        assertThat(CommunityDetection.detect(atAngles(0, 1, 2), 0.9f, 10)).containsExactly(List.of(0, 1, 2));
        assertThat(CommunityDetection.detect(new float[0][], 0.9f, 10)).isEmpty();
    }
}
