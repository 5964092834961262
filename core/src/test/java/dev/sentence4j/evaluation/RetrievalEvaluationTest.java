package dev.sentence4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetrievalEvaluationTest {
    /**
     * Three queries worked by hand. Query 1 finds its two relevant documents at ranks 2 and 4, query 2
     * its one at rank 4, query 3 two of its three at ranks 1 and 3 in a ranking only 3 long. At k = 3,
     * for example: accuracy (1 + 0 + 1) / 3; precision (1/3 + 0 + 2/3) / 3; recall (1/2 + 0 + 2/3) / 3;
     * MRR (1/2 + 0 + 1) / 3; NDCG ((1/log2 3) / (1 + 1/log2 3) + 0 + (1 + 1/log2 4) / (1 + 1/log2 3
     * + 1/log2 4)) / 3; MAP ((1/2) / 2 + 0 + (1/1 + 2/3) / 3) / 3.
     */
    @Test
    void scoresRankingsAsWorkedByHand() {
        List<List<String>> rankings = List.of(List.of("d3", "d1", "d7", "d2", "d5"), List.of("d4", "d6", "d8", "d9", "d0"),
                List.of("d5", "d2", "d1"));
        List<Set<String>> relevant = List.of(Set.of("d1", "d2"), Set.of("d9"), Set.of("d5", "d1", "d8"));

        RetrievalResult result = RetrievalEvaluation.score(rankings, relevant, List.of(5, 1, 3));

        assertThat(result.queries()).isEqualTo(3);
        assertThat(result.scores().keySet()).containsExactly(1, 3, 5);
        assertScores(result.at(1), 1 / 3.0, 1 / 3.0, 1 / 9.0, 1 / 3.0, 1 / 3.0, 1 / 3.0);
        assertScores(result.at(3), 2 / 3.0, 1 / 3.0, 0.38888888888888884, 0.5, 0.3635902987562254, 0.2685185185185185);
        assertScores(result.at(5), 1, 1 / 3.0, 0.8888888888888888, 0.5833333333333334, 0.5951718589715534,
                0.4351851851851851);
        assertThatThrownBy(() -> result.at(10)).hasMessage("no scores at k = 10; the cutoffs were [1, 3, 5]");
    }

    @Test
    void badJudgementsAreNamed() {
        assertThatThrownBy(() -> RetrievalEvaluation.score(List.of(List.of("d1")), List.of(Set.of()), List.of(1)))
                .hasMessageContaining("needs a relevant document");
        assertThatThrownBy(() -> RetrievalEvaluation.score(List.of(List.of("d1")), List.of(Set.of("d1")), List.of(0)))
                .hasMessage("cutoffs must be at least 1, got 0");
        assertThatThrownBy(() -> RetrievalEvaluation.score(List.of(List.of("d1")), List.of(Set.of("d1")), List.of()))
                .hasMessage("need at least one cutoff k");
        assertThatThrownBy(() -> RetrievalEvaluation.score(List.of(), List.of(), List.of(1)))
                .hasMessageContaining("at least one query");
    }

    /** STSb pairs the annotators scored 5 (same meaning): the first sentence should find the second. */
    @Test
    void aRealModelFindsTheParaphraseOfEachQuery() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        Map<String, String> corpus = new LinkedHashMap<>();
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (StsPair pair : StsCsv.read(Shared.path("data/stsb-en-dev.csv"))) {
            if (corpus.size() == 300) {
                break;
            }
            String id = "p" + corpus.size();
            corpus.put(id, pair.sentence2());
            if (pair.score() == 5) {
                queries.put("q" + corpus.size(), pair.sentence1());
                relevant.put("q" + corpus.size(), Set.of(id));
            }
        }
        queries.put("unjudged", "A query without relevant documents is left out.");

        SentenceTransformer model = TestModels.get(Shared.MINILM);
        RetrievalResult result = RetrievalEvaluation.evaluate(model, queries, corpus, relevant,
                RetrievalEvaluation.DEFAULT_CUTOFFS);

        // The same judged queries ranked here by scoring every document, one at a time.
        List<String> judged = queries.keySet().stream().filter(relevant::containsKey).toList();
        List<String> documentIds = List.copyOf(corpus.keySet());
        float[][] documents = model.encodeDocument(List.copyOf(corpus.values()));
        List<List<String>> rankings = new ArrayList<>();
        for (float[] query : model.encodeQuery(judged.stream().map(queries::get).toList())) {
            Integer[] order = IntStream.range(0, documents.length).boxed().toArray(Integer[]::new);
            float[] scores = model.similarity(new float[][] {query}, documents)[0];
            Arrays.sort(order, Comparator.comparing((Integer j) -> scores[j]).reversed());
            rankings.add(Arrays.stream(order).limit(100).map(documentIds::get).toList());
        }
        assertThat(result).isEqualTo(RetrievalEvaluation.score(rankings, judged.stream().map(relevant::get).toList(),
                RetrievalEvaluation.DEFAULT_CUTOFFS));
        assertThat(result.queries()).isEqualTo(queries.size() - 1).isGreaterThan(20);
        assertThat(result.at(10).accuracy()).isGreaterThan(0.9);
        assertThat(result.at(100).recall()).isEqualTo(1.0);
    }

    private static void assertScores(RetrievalScores scores, double accuracy, double precision, double recall, double mrr,
            double ndcg, double map) {
        assertThat(scores.accuracy()).as("accuracy").isCloseTo(accuracy, within(1e-12));
        assertThat(scores.precision()).as("precision").isCloseTo(precision, within(1e-12));
        assertThat(scores.recall()).as("recall").isCloseTo(recall, within(1e-12));
        assertThat(scores.mrr()).as("mrr").isCloseTo(mrr, within(1e-12));
        assertThat(scores.ndcg()).as("ndcg").isCloseTo(ndcg, within(1e-12));
        assertThat(scores.map()).as("map").isCloseTo(map, within(1e-12));
    }
}
