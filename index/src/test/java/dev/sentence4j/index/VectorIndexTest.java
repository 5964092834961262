package dev.sentence4j.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.search.Hit;
import dev.sentence4j.search.SemanticSearch;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index of 1,000 STSb dev sentences, searched with 100 others, against exact search. */
class VectorIndexTest {
    private static final int CORPUS = 1000;
    private static final int QUERIES = 100;

    private static SentenceTransformer model;
    private static List<String> corpus;
    private static float[][] corpusVectors;
    private static float[][] queryVectors;

    @TempDir
    static Path shared;
    private static Path index;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildIndex() throws IOException {
        model = SentenceTransformer.load("sentence-transformers/all-MiniLM-L6-v2");
        List<String> sentences = StsbSentences.read();
        corpus = sentences.subList(0, CORPUS);
        corpusVectors = model.encodeDocument(corpus);
        queryVectors = model.encodeQuery(sentences.subList(CORPUS, CORPUS + QUERIES));
        index = shared.resolve("stsb-index");
        try (VectorIndexBuilder builder = VectorIndexBuilder.create(index, model)) {
            for (int i = 0; i < CORPUS; i++) {
                builder.add(new IndexedText(i + 1, corpus.get(i)), corpusVectors[i]);
            }
            IndexInfo info = builder.commit();
            assertThat(info).isEqualTo(new IndexInfo("sentence-transformers/all-MiniLM-L6-v2", "onnx/model.onnx", 384,
                    SimilarityFunction.COSINE, CORPUS));
        }
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static List<List<IndexHit>> searchAll(VectorIndex opened) {
        List<List<IndexHit>> hits = new ArrayList<>();
        for (float[] query : queryVectors) {
            hits.add(opened.search(query, 10));
        }
        return hits;
    }

    @Test
    void answersAfterAReopenAsBeforeAndFindsWhatExactSearchFinds() {
        List<List<IndexHit>> before;
        try (VectorIndex opened = VectorIndex.open(index, model)) {
            before = searchAll(opened);
        }
        List<List<IndexHit>> after;
        try (VectorIndex reopened = VectorIndex.open(index, model)) {
            assertThat(reopened.info().count()).isEqualTo(CORPUS);
            after = searchAll(reopened);
        }
        assertThat(after).isEqualTo(before);

        List<List<Hit>> exact = SemanticSearch.search(queryVectors, corpusVectors, 10, SimilarityFunction.COSINE);
        int found = 0;
        for (int q = 0; q < QUERIES; q++) {
            List<Integer> exactLines = exact.get(q).stream().map(hit -> hit.corpusIndex() + 1).toList();
            for (IndexHit hit : after.get(q)) {
                assertThat(hit.text()).isEqualTo(corpus.get(hit.line() - 1));
                // The model's cosine, converted back from Lucene's (1 + cos) / 2.
                assertThat(hit.score()).isCloseTo(
                        SimilarityFunction.COSINE.score(queryVectors[q], corpusVectors[hit.line() - 1]), within(2e-6f));
                found += exactLines.contains(hit.line()) ? 1 : 0;
            }
            assertThat(after.get(q)).hasSize(10).extracting(IndexHit::score).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        }
        assertThat(found / (double) (10 * QUERIES)).as("recall@10").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void searchesTextsAsQueriesOfTheModel() {
        try (VectorIndex opened = VectorIndex.open(index, model)) {
            String query = "A man is playing a flute.";
            List<IndexHit> hits = opened.search(query, 3);

            assertThat(hits).isEqualTo(opened.search(model.encodeQuery(List.of(query))[0], 3));
            assertThat(hits.get(0).text()).containsIgnoringCase("flute");
            float[] vector = model.encodeQuery(List.of(query))[0];
            // Even with as few candidates as hits, the graph search finds exact search's best three here.
            List<IndexHit> fewest = opened.search(vector, 3, 3);
            List<Hit> exact = SemanticSearch.search(new float[][] {vector}, corpusVectors, 3, SimilarityFunction.COSINE).get(0);
            assertThat(fewest).extracting(IndexHit::line)
                    .containsExactlyElementsOf(exact.stream().map(hit -> hit.corpusIndex() + 1).toList());
            for (int i = 0; i < exact.size(); i++) {
                assertThat(fewest.get(i).text()).isEqualTo(corpus.get(exact.get(i).corpusIndex()));
                assertThat(fewest.get(i).score()).isCloseTo(exact.get(i).score(), within(2e-6f));
            }
            assertThatThrownBy(() -> opened.search(new float[3], 1)).hasMessage("query vector has 3 values; the index's have 384");
            assertThatThrownBy(() -> opened.search(query, 0)).hasMessageContaining("top k 0");
        }
    }

    @Test
    void equalScoresGoToTheLowerLineWhateverTheOrderOfAdding() {
        Path folder = dir.resolve("ties");
        float[] cat = model.encodeDocument(List.of("A cat sleeps."))[0];
        try (VectorIndexBuilder builder = VectorIndexBuilder.create(folder, model)) {
            builder.add(new IndexedText(7, "A cat sleeps."), cat);
            builder.add(new IndexedText(5, "Rain fell."), model.encodeDocument(List.of("Rain fell."))[0]);
            builder.add(new IndexedText(3, "A cat sleeps, again."), cat);
            builder.commit();
        }
        try (VectorIndex opened = VectorIndex.open(folder, model)) {
            assertThat(opened.search(cat, 1)).extracting(IndexHit::line).containsExactly(3);
            List<IndexHit> two = opened.search(cat, 2);
            assertThat(two).extracting(IndexHit::line).containsExactly(3, 7);
            assertThat(two.get(0).score()).isEqualTo(two.get(1).score());
        }
    }

    @Test
    void anotherModelCannotOpenIt() {
        try (SentenceTransformer bge = SentenceTransformer.load("BAAI/bge-small-en-v1.5")) {
            assertThatThrownBy(() -> VectorIndex.open(index, bge))
                    .isInstanceOf(IndexException.class)
                    .hasMessage("the index " + index + " was built with sentence-transformers/all-MiniLM-L6-v2 "
                            + "(onnx/model.onnx, 384 dimensions, cosine); it cannot be searched with "
                            + "BAAI/bge-small-en-v1.5 (onnx/model.onnx, 384 dimensions, cosine), whose vectors are not "
                            + "comparable; use the model it was built with");
        }
    }

    @Test
    void aMissingOrForeignFolderIsNamed() throws IOException {
        Path missing = dir.resolve("missing");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path file = Files.writeString(dir.resolve("file.txt"), "text");

        assertThatThrownBy(() -> VectorIndex.open(missing, model))
                .hasMessage("no index at " + missing + ": the folder does not exist");
        assertThatThrownBy(() -> VectorIndex.open(file, model))
                .hasMessage("no index at " + file + ": it is a file, not an index folder");
        assertThatThrownBy(() -> VectorIndex.open(empty, model))
                .hasMessage(empty + " is not a sentence4j index: it has no sentence4j-index.json");
    }

    @Test
    void aDamagedIndexIsNamed() throws IOException {
        Path small = smallIndex("small");
        Path info = small.resolve("sentence4j-index.json");
        String good = Files.readString(info);

        Files.writeString(info, "{\"format\": 1, \"model\": ");
        assertThatThrownBy(() -> VectorIndex.open(small, model))
                .hasMessageStartingWith(info + " is damaged: not JSON");
        Files.writeString(info, good.replace("\"dimension\" : 384", "\"dimension\" : \"wide\""));
        assertThatThrownBy(() -> VectorIndex.open(small, model))
                .hasMessage(info + " is damaged: 'dimension' is missing or not a whole number; rebuild the index");
        Files.writeString(info, good.replace("\"count\" : 3", "\"count\" : 4"));
        assertThatThrownBy(() -> VectorIndex.open(small, model))
                .hasMessage("the index " + small + " holds 3 texts where its sentence4j-index.json says 4; rebuild it");

        Files.writeString(info, good);
        try (Stream<Path> files = Files.list(small)) {
            for (Path segments : files.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) {
                Files.delete(segments);
            }
        }
        assertThatThrownBy(() -> VectorIndex.open(small, model))
                .isInstanceOf(IndexException.class)
                .hasMessageStartingWith("the index " + small + " is damaged or incomplete (")
                .hasMessageEndingWith("); rebuild it");
    }

    @Test
    void buildsOnlyIntoAFreeFolderAndLeavesNothingWhenAbandoned() throws IOException {
        Path taken = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(taken.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> VectorIndexBuilder.create(taken, model))
                .hasMessage("cannot build an index in " + taken + ": the folder is not empty; remove it or choose another");
        Path orphan = dir.resolve("no/such/index");
        assertThatThrownBy(() -> VectorIndexBuilder.create(orphan, model))
                .hasMessage("cannot build an index in " + orphan + ": folder " + orphan.getParent() + " does not exist");

        Path abandoned = dir.resolve("abandoned");
        try (VectorIndexBuilder builder = VectorIndexBuilder.create(abandoned, model)) {
            builder.add(List.of(new IndexedText(1, "never committed")));
            assertThat(builder.count()).isEqualTo(1);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(taken);
        }

        Path emptyFolder = Files.createDirectory(dir.resolve("empty"));
        assertThat(smallIndex("empty")).isEqualTo(emptyFolder);
        try (VectorIndex opened = VectorIndex.open(emptyFolder, model)) {
            assertThat(opened.search("a cat", 1)).extracting(IndexHit::line).containsExactly(2);
        }
    }

    private Path smallIndex(String name) {
        Path folder = dir.resolve(name);
        try (VectorIndexBuilder builder = VectorIndexBuilder.create(folder, model)) {
            builder.add(IntStream.rangeClosed(1, 3)
                    .mapToObj(i -> new IndexedText(i, List.of("A man plays a guitar.", "A cat sleeps.", "Rain fell.").get(i - 1)))
                    .toList());
            builder.commit();
        }
        return folder;
    }
}
