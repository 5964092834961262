package dev.sentence4j.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.MultiVectorFolders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-vector index on a ColBERT folder: its answers against the exact MaxSim of the query with every
 * text of the corpus, computed here by the model's own similarity over the model's own document vectors.
 */
class MultiVectorIndexTest {
    @TempDir
    Path temp;

    @Test
    void searchFindsTheTextsExactMaxSimRanksFirstWithTheirExactScores() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "colbert", MultiVectorFolders.Spec.bert());
        List<String> corpus = StsbSentences.read().subList(0, 300);
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString())) {
            Path indexFolder = temp.resolve("index");
            List<float[][]> documents = model.encodeDocument(corpus);
            try (MultiVectorIndexBuilder builder = MultiVectorIndexBuilder.create(indexFolder, model)) {
                for (int i = 0; i < corpus.size(); i++) {
                    builder.add(new IndexedText(i + 1, corpus.get(i)), documents.get(i));
                }
                MultiVectorIndexInfo info = builder.commit();
                assertThat(info.count()).isEqualTo(300);
                assertThat(info.tokens()).isEqualTo(documents.stream().mapToLong(d -> d.length).sum());
            }
            List<String> queries = List.of("A man is playing a guitar.", "A woman is slicing an onion.", "Dogs run in a park.");
            List<float[][]> encoded = model.encodeQuery(queries);
            double found = 0;
            try (MultiVectorIndex index = MultiVectorIndex.open(indexFolder, model)) {
                assertThat(MultiVectorIndex.readInfo(indexFolder)).isEqualTo(index.info());
                for (int q = 0; q < queries.size(); q++) {
                    float[] exact = model.similarity(List.<float[][]>of(encoded.get(q)), documents)[0];
                    List<Integer> best = IntStream.range(0, corpus.size()).boxed()
                            .sorted(Comparator.comparingDouble((Integer i) -> -exact[i])).limit(10).toList();
                    List<IndexHit> hits = index.search(encoded.get(q), 10, 50);
                    assertThat(hits).hasSize(10);
                    Set<Integer> lines = new HashSet<>();
                    for (IndexHit hit : hits) {
                        lines.add(hit.line());
                        // Scores are the exact MaxSim of the text found, not an approximation.
                        assertThat(hit.score()).isEqualTo(exact[hit.line() - 1]);
                        assertThat(hit.text()).isEqualTo(corpus.get(hit.line() - 1));
                    }
                    found += best.stream().filter(i -> lines.contains(i + 1)).count();
                }
                assertThat(found / (10.0 * queries.size())).isGreaterThanOrEqualTo(0.9);
                assertThat(index.search(queries.get(0), 3)).hasSize(3);
            }
            assertThatThrownBy(() -> VectorIndex.readInfo(indexFolder))
                    .isInstanceOf(IndexException.class)
                    .hasMessageContaining("holds the token vectors of a multi-vector model")
                    .hasMessageContaining("MultiVectorIndex");
        }
    }

    @Test
    void anIndexOfAnotherModelIsRefused() {
        Path folder = MultiVectorFolders.colbert(temp, "a", MultiVectorFolders.Spec.bert());
        Path other = MultiVectorFolders.colbert(temp, "b", MultiVectorFolders.Spec.bert());
        try (MultiVectorEncoder model = MultiVectorEncoder.load(folder.toString());
                MultiVectorEncoder otherModel = MultiVectorEncoder.load(other.toString())) {
            Path indexFolder = temp.resolve("index");
            try (MultiVectorIndexBuilder builder = MultiVectorIndexBuilder.create(indexFolder, model)) {
                builder.add(new ArrayList<>(List.of(new IndexedText(1, "one text"), new IndexedText(2, "another"))));
                builder.commit();
            }
            assertThatThrownBy(() -> MultiVectorIndex.open(indexFolder, otherModel))
                    .isInstanceOf(IndexException.class)
                    .hasMessageContaining("was built with " + folder);
        }
    }
}
