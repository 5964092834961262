package dev.sentence4j.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Chunked top-k search against a brute-force ranking of every corpus vector. */
class SemanticSearchTest {
    private static final int DUPLICATED = 50;

    /**
     * The STSb dev sentences, then copies of the first 50: every query that is one of those finds two
     * vectors with exactly the same score, which must come out lower index first.
     */
    private static float[][] corpusWithTies() {
        float[][] sentences = StsbVectors.vectors();
        float[][] corpus = Arrays.copyOf(sentences, sentences.length + DUPLICATED);
        for (int i = 0; i < DUPLICATED; i++) {
            corpus[sentences.length + i] = sentences[i].clone();
        }
        return corpus;
    }

    private static float[][] everyNth(float[][] vectors, int n) {
        return IntStream.range(0, vectors.length).filter(i -> i % n == 0).mapToObj(i -> vectors[i]).toArray(float[][]::new);
    }

    @Test
    void cosineOnThousandsOfSentencesEqualsBruteForceWhateverTheChunks() {
        float[][] corpus = corpusWithTies();
        float[][] queries = everyNth(StsbVectors.vectors(), 10);
        assertThat(corpus.length).isGreaterThan(2800);
        assertThat(queries.length).isGreaterThan(250);

        List<List<Hit>> chunked = SemanticSearch.search(queries, corpus, 10, SimilarityFunction.COSINE);
        List<List<Hit>> smallChunks = SemanticSearch.search(queries, corpus, 10, SimilarityFunction.COSINE,
                new ChunkSizes(7, 500));

        for (int q = 0; q < queries.length; q++) {
            List<Hit> expected = BruteForce.top(queries[q], corpus, 10, SimilarityFunction.COSINE);
            assertThat(chunked.get(q)).as("query %d", q).isEqualTo(expected);
            assertThat(smallChunks.get(q)).as("query %d, small chunks", q).isEqualTo(expected);
        }
        // Query 0 is sentence 0, which is also at the end of the corpus: a tie, lower index first.
        assertThat(chunked.get(0).subList(0, 2)).extracting(Hit::corpusIndex)
                .containsExactly(0, StsbVectors.vectors().length);
        assertThat(chunked.get(0).get(0).score()).isEqualTo(chunked.get(0).get(1).score());
    }

    @ParameterizedTest
    @EnumSource(SimilarityFunction.class)
    void everySimilarityFunctionEqualsBruteForceOnVectorsOfManyLengths(SimilarityFunction function) {
        // Scaled rows, so that dot product and the distances rank differently from cosine.
        float[][] corpus = corpusWithTies();
        for (int j = 0; j < corpus.length; j++) {
            float scale = 1 + (j % 7) * 0.25f;
            float[] row = corpus[j].clone();
            for (int d = 0; d < row.length; d++) {
                row[d] *= scale;
            }
            corpus[j] = row;
        }
        float[][] queries = everyNth(corpus, 47);

        List<List<Hit>> hits = SemanticSearch.search(queries, corpus, 5, function, new ChunkSizes(16, 700));

        for (int q = 0; q < queries.length; q++) {
            assertThat(hits.get(q)).as("query %d", q).isEqualTo(BruteForce.top(queries[q], corpus, 5, function));
        }
    }

    @Test
    void equalScoresGoToTheLowerIndexAndTopKMayExceedTheCorpus() {
        float[][] corpus = {{1, 0}, {0, 1}, {1, 0}, {2, 0}, {-1, 0}};
        float[][] query = {{3, 0}};

        assertThat(SemanticSearch.search(query, corpus, 3, SimilarityFunction.COSINE).get(0))
                .containsExactly(new Hit(0, 1f), new Hit(2, 1f), new Hit(3, 1f));
        assertThat(SemanticSearch.search(query, corpus, 10, SimilarityFunction.COSINE, new ChunkSizes(1, 2)).get(0))
                .containsExactly(new Hit(0, 1f), new Hit(2, 1f), new Hit(3, 1f), new Hit(1, 0f), new Hit(4, -1f));
        assertThat(SemanticSearch.search(query, corpus, 2, SimilarityFunction.DOT).get(0))
                .containsExactly(new Hit(3, 6f), new Hit(0, 3f));
    }

    @Test
    void anEmptyCorpusFindsNothingAndBadArgumentsAreNamed() {
        assertThat(SemanticSearch.search(new float[][] {{1, 0}}, new float[0][], 5, SimilarityFunction.COSINE))
                .containsExactly(List.of());
        assertThatThrownBy(() -> SemanticSearch.search(new float[][] {{1, 0}}, new float[][] {{1, 0}}, 0,
                SimilarityFunction.COSINE)).hasMessage("top k must be at least 1, got 0");
        assertThatThrownBy(() -> SemanticSearch.search(new float[][] {{1, 0}}, new float[][] {{1, 0, 0}}, 1,
                SimilarityFunction.COSINE)).hasMessage("vectors differ in length: 2 and 3");
        assertThatThrownBy(() -> new ChunkSizes(0, 10)).hasMessageContaining("at least 1");
    }

    @Test
    void searchesTextsWithTheModel() {
        List<String> seeds = Shared.referenceTexts("seed-sentences");

        List<List<Hit>> hits = SemanticSearch.search(TestModels.get(Shared.MINILM), seeds.subList(0, 1),
                seeds.subList(1, seeds.size()), 2);

        // Seed 3 (corpus index 1) says what seed 1 says; the reference cosine is 0.476377.
        assertThat(hits.get(0)).hasSize(2);
        assertThat(hits.get(0).get(0).corpusIndex()).isEqualTo(1);
        assertThat(hits.get(0).get(0).score()).isCloseTo(0.476377f, within(1e-5f));
    }
}
