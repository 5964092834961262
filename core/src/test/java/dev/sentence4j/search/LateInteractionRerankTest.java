package dev.sentence4j.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.MultiVectorFolders;
import dev.sentence4j.RankedText;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.SparseEncoder;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieve and rerank with a ColBERT second stage: each query's result is the MaxSim ranking (computed here
 * from the model's own vectors) of exactly the texts the first stage found (computed here from its own scores).
 */
class LateInteractionRerankTest {
    private static final List<String> CORPUS = Shared.lines("fixtures/st6/public.txt").subList(0, 40);
    private static final List<String> QUERIES = List.of("A man plays music.", "The weather is cold.");

    @TempDir
    Path temp;

    @Test
    void denseOrSparseFirstStageThenMaxSim() {
        Path folder = MultiVectorFolders.colbert(temp, "colbert", MultiVectorFolders.Spec.bert());
        try (MultiVectorEncoder colbert = MultiVectorEncoder.load(folder.toString());
                SentenceTransformer dense = SentenceTransformer.load(Shared.path("fixtures/st6/models/seed-bert-mean").toString());
                SparseEncoder sparse = SparseEncoder.load(Shared.path("fixtures/st6/models/splade-bert").toString())) {
            float[][] denseScores = dense.similarity(dense.encodeQuery(QUERIES), dense.encodeDocument(CORPUS));
            check(SemanticSearch.retrieveAndRerank(dense, colbert, QUERIES, CORPUS, 8, 3), denseScores, colbert);
            float[][] sparseScores = sparse.similarity(sparse.encodeQuery(QUERIES), sparse.encodeDocument(CORPUS));
            check(SemanticSearch.retrieveAndRerank(sparse, colbert, QUERIES, CORPUS, 8, 3), sparseScores, colbert);
        }
    }

    private static void check(List<List<RankedText>> results, float[][] firstStage, MultiVectorEncoder colbert) {
        assertThat(results).hasSize(QUERIES.size());
        for (int q = 0; q < QUERIES.size(); q++) {
            float[] row = firstStage[q];
            Set<Integer> retrieved = IntStream.range(0, row.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -row[i])).limit(8).collect(Collectors.toSet());
            float[] maxSim = colbert.similarity(colbert.encodeQuery(List.of(QUERIES.get(q))), colbert.encodeDocument(CORPUS))[0];
            List<Integer> expected = retrieved.stream().sorted(Comparator.comparingDouble((Integer i) -> -maxSim[i]))
                    .limit(3).toList();
            assertThat(results.get(q).stream().map(RankedText::index).toList()).isEqualTo(expected);
            for (RankedText hit : results.get(q)) {
                assertThat(hit.text()).isEqualTo(CORPUS.get(hit.index()));
                assertThat(hit.score()).isCloseTo(maxSim[hit.index()], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }
}
