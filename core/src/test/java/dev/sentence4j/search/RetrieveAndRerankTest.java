package dev.sentence4j.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.RankedText;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TextPair;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bi-encoder retrieval, then cross-encoder reranking, with the st6 fixtures' bi-encoder and cross-encoder. */
class RetrieveAndRerankTest {
    private static SentenceTransformer biEncoder;
    private static CrossEncoder reranker;
    private static List<String> corpus;

    @BeforeAll
    static void load() {
        biEncoder = SentenceTransformer.load(Shared.path("fixtures/st6/models/seed-bert-mean").toString());
        reranker = CrossEncoder.load(Shared.path("fixtures/st6/models/cross-encoder-bert").toString());
        corpus = Shared.lines("fixtures/st6/public.txt").subList(0, 60);
    }

    @AfterAll
    static void close() {
        reranker.close();
        biEncoder.close();
    }

    @Test
    void reranksTheRetrievedHitsByTheCrossEncodersScore() {
        List<String> queries = List.of(corpus.get(3), "A man is playing a guitar.");

        List<List<RankedText>> results = SemanticSearch.retrieveAndRerank(biEncoder, reranker, queries, corpus, 12, 5);

        assertThat(results).hasSize(2);
        List<List<Hit>> retrieved = SemanticSearch.search(biEncoder, queries, corpus, 12);
        for (int q = 0; q < queries.size(); q++) {
            String query = queries.get(q);
            List<Integer> candidates = retrieved.get(q).stream().map(Hit::corpusIndex).toList();
            float[] candidateScores = reranker.predict(candidates.stream().map(i -> new TextPair(query, corpus.get(i))).toList());
            float fifthBest = -(float) IntStream.range(0, candidateScores.length).mapToDouble(i -> -candidateScores[i]).sorted()
                    .skip(4).findFirst().orElseThrow();
            List<RankedText> ranked = results.get(q);
            assertThat(ranked).hasSize(5);
            assertThat(ranked).extracting(RankedText::score).isSortedAccordingTo(Comparator.reverseOrder());
            for (RankedText r : ranked) {
                assertThat(candidates).contains(r.index());
                assertThat(r.text()).isEqualTo(corpus.get(r.index()));
                assertThat(r.score()).isCloseTo(candidateScores[candidates.indexOf(r.index())], within(1e-6f))
                        .isGreaterThanOrEqualTo(fifthBest);
            }
        }
    }

    @Test
    void refusesCutsBelowOne() {
        assertThatThrownBy(() -> SemanticSearch.retrieveAndRerank(biEncoder, reranker, List.of("q"), corpus, 0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retrieve k must be at least 1, got 0");
        assertThatThrownBy(() -> SemanticSearch.retrieveAndRerank(biEncoder, reranker, List.of("q"), corpus, 10, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("top k must be at least 1, got -1");
    }

    @Test
    void anEmptyCorpusFindsNothing() {
        assertThat(SemanticSearch.retrieveAndRerank(biEncoder, reranker, List.of("q"), List.of(), 10, 5)).containsExactly(List.of());
    }
}
