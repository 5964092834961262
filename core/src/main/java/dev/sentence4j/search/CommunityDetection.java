package dev.sentence4j.search;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Clusters of mutually close texts, as sentence-transformers' {@code community_detection}: each text
 * whose cosine similarity reaches {@code threshold} with at least {@code minSize} texts (itself
 * included) proposes those texts as a community; the largest proposals are taken first, each losing
 * the members an earlier community already took, and kept if still {@code minSize} strong. Scored a
 * block at a time: the {@code n × n} matrix is never held.
 */
public final class CommunityDetection {
    /** sentence-transformers' default threshold. */
    public static final float DEFAULT_THRESHOLD = 0.75f;
    /** sentence-transformers' default smallest community. */
    public static final int DEFAULT_MIN_SIZE = 10;

    private CommunityDetection() {}

    /** Detects communities with the {@linkplain ChunkSizes#defaults() default} chunk sizes. */
    public static List<List<Integer>> detect(float[][] vectors, float threshold, int minSize) {
        return detect(vectors, threshold, minSize, ChunkSizes.defaults());
    }

    /**
     * The communities, largest first (equal sizes in the order of their central text). Each lists the
     * indices of its texts by similarity to its central text, most similar first (equal scores by lower
     * index), so the central text, when still a member, comes first. No text is in two communities.
     * As in sentence-transformers, {@code minSize} larger than the list means the whole list.
     *
     * @throws IllegalArgumentException if {@code minSize < 1} or the vectors differ in length
     */
    public static List<List<Integer>> detect(float[][] vectors, float threshold, int minSize, ChunkSizes chunks) {
        SemanticSearch.requirePositive(minSize, "min community size");
        int smallest = Math.min(minSize, vectors.length);
        int[] sizes = neighbourhoodSizes(vectors, threshold, chunks);
        // Largest proposals first; a stable order keeps equal sizes by central text.
        int[] centers = IntStream.range(0, vectors.length).filter(i -> sizes[i] >= smallest).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> sizes[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
        boolean[] taken = new boolean[vectors.length];
        int free = vectors.length;
        List<List<Integer>> communities = new ArrayList<>();
        for (int start = 0; start < centers.length && free >= smallest; start += chunks.queries()) {
            int[] block = Arrays.copyOfRange(centers, start, Math.min(centers.length, start + chunks.queries()));
            for (List<Hit> proposal : neighbourhoods(vectors, block, threshold, chunks)) {
                List<Integer> members = proposal.stream().map(Hit::corpusIndex).filter(j -> !taken[j]).toList();
                if (members.size() >= smallest) {
                    members.forEach(j -> taken[j] = true);
                    free -= members.size();
                    communities.add(members);
                }
            }
        }
        communities.sort(Comparator.comparingInt((List<Integer> c) -> c.size()).reversed());
        return List.copyOf(communities);
    }

    /** How many texts (itself included) reach the threshold with each text. */
    private static int[] neighbourhoodSizes(float[][] vectors, float threshold, ChunkSizes chunks) {
        int[] sizes = new int[vectors.length];
        for (int start = 0; start < vectors.length; start += chunks.queries()) {
            int end = Math.min(vectors.length, start + chunks.queries());
            ScoreBlocks.scan(vectors, start, end, vectors, SimilarityFunction.COSINE, chunks.corpus(),
                    (queryStart, corpusStart, scores) -> {
                        for (int q = 0; q < scores.length; q++) {
                            for (float score : scores[q]) {
                                if (score >= threshold) {
                                    sizes[queryStart + q]++;
                                }
                            }
                        }
                    });
        }
        return sizes;
    }

    /** For each center, the texts that reach the threshold with it, best first. */
    private static List<List<Hit>> neighbourhoods(float[][] vectors, int[] centers, float threshold, ChunkSizes chunks) {
        float[][] centerVectors = new float[centers.length][];
        List<List<Hit>> neighbourhoods = new ArrayList<>();
        for (int c = 0; c < centers.length; c++) {
            centerVectors[c] = vectors[centers[c]];
            neighbourhoods.add(new ArrayList<>());
        }
        ScoreBlocks.scan(centerVectors, 0, centers.length, vectors, SimilarityFunction.COSINE, chunks.corpus(),
                (queryStart, corpusStart, scores) -> {
                    for (int q = 0; q < scores.length; q++) {
                        for (int j = 0; j < scores[q].length; j++) {
                            if (scores[q][j] >= threshold) {
                                neighbourhoods.get(q).add(new Hit(corpusStart + j, scores[q][j]));
                            }
                        }
                    }
                });
        neighbourhoods.forEach(hits -> hits.sort(TopHits::compareBestFirst));
        return neighbourhoods;
    }
}
