package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The speed paths give the reference vectors: threads, token budgets, cached graphs, int8 weights. */
class FastPathsTest {
    @TempDir
    Path temp;

    @Test
    void manyThreadsOnOneModelGetTheReferenceVectors() throws Exception {
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");
        float[][] expected = ReferenceVectorsTest.reference(Shared.MINILM, "stsb-dev-sample");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int batch = 1 + t * 5;
                results.add(pool.submit(() -> model.encode(texts, EncodeOptions.defaults().withBatchSize(batch))));
            }
            for (Future<float[][]> result : results) {
                assertClose(result.get(), expected, REFERENCE_TOLERANCE, texts);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** How a model closes under a call in progress is WorkersTest's: there the batches are held at a gate. */
    @Test
    void aClosedModelRefusesCallsAndClosesOnlyOnce() {
        SentenceTransformer model = SentenceTransformer.load(Shared.MINILM);
        assertThat(model.encode("before")).hasSize(384);

        model.close();
        model.close();

        assertThatThrownBy(() -> model.encode("after")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void aSmallTokenBudgetSplitsBatchesWithoutChangingVectors() throws IOException {
        List<String> texts = Shared.referenceTexts("edge-cases");
        // Against unsplit batches rather than the reference, one of whose rows 6.x lowercases otherwise (ReferenceVectorsTest).
        float[][] expected = TestModels.get(Shared.BGE).encode(texts);

        float[][] actual = TestModels.get(Shared.BGE).encode(texts, EncodeOptions.defaults().withMaxBatchTokens(600));

        assertClose(actual, expected, REFERENCE_TOLERANCE, texts);
    }

    /**
     * The batches a budget of 600 tokens cuts, worked out by hand: longest first, each batch's texts padded
     * to its longest within the budget. Lengths 100, 300, 50, 200, 250, 10 give [300, 250] (600),
     * [200, 100, 50] (600) and [10].
     */
    @Test
    void theTokenBudgetCutsLengthSortedBatchesAsWorkedOutByHand() {
        int[] lengths = {100, 300, 50, 200, 250, 10};
        List<List<Integer>> batches = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (Workers workers = new Workers(1)) {
            List<Integer> results = LengthBatches.run(lengths, 32, 600, workers, rows -> {
                batches.add(rows);
                return rows.stream().map(row -> lengths[row]).toList();
            });
            assertThat(results).containsExactly(100, 300, 50, 200, 250, 10);
            assertThat(batches).containsExactly(List.of(1, 4), List.of(3, 0, 2), List.of(5));
            batches.clear();
            LengthBatches.run(lengths, 32, Integer.MAX_VALUE, workers, rows -> {
                batches.add(rows);
                return rows;
            });
            assertThat(batches).containsExactly(List.of(1, 4, 3, 0, 2, 5));
        }
    }

    @Test
    void theOptimizedGraphIsCachedAndReusedWithTheSameResults() throws IOException {
        Path cache = temp.resolve("cache");
        List<String> seeds = Shared.lines("data/seed-sentences.txt");
        float[][] expected = ReferenceVectorsTest.reference(Shared.MINILM, "seed-sentences");
        LoadOptions options = LoadOptions.defaults().withCacheDirectory(cache);

        try (SentenceTransformer first = SentenceTransformer.load(Shared.MINILM, options)) {
            assertClose(first.encode(seeds), expected, REFERENCE_TOLERANCE, seeds);
        }
        List<Path> graphs;
        try (Stream<Path> files = Files.list(cache.resolve("graphs"))) {
            graphs = files.sorted().toList();
        }
        // One entry: its graph, beside it its weight file, the list of both files' checksums and the weight file's recorded time.
        assertThat(graphs).filteredOn(p -> p.toString().endsWith(".onnx")).hasSize(1);
        Path graph = graphs.stream().filter(p -> p.toString().endsWith(".onnx")).findFirst().orElseThrow();
        assertThat(cache.resolve("builtin/all-MiniLM-L6-v2")).isDirectory();
        // A rebuild would publish a new file in its place: the same file (not only the same name) must remain.
        Object built = Files.readAttributes(graph, BasicFileAttributes.class).fileKey();
        byte[] bytes = Files.readAllBytes(graph);
        assertThat(built).isNotNull();

        try (SentenceTransformer second = SentenceTransformer.load(Shared.MINILM, options)) {
            assertClose(second.encode(seeds), expected, REFERENCE_TOLERANCE, seeds);
        }
        try (Stream<Path> files = Files.list(cache.resolve("graphs"))) {
            assertThat(files.sorted().toList()).isEqualTo(graphs);
        }
        assertThat(Files.readAttributes(graph, BasicFileAttributes.class).fileKey()).isEqualTo(built);
        assertThat(Files.readAllBytes(graph)).isEqualTo(bytes);
    }

    @Test
    void theInt8ModelIsCloseToFloat32AndStillFindsTheJello() throws IOException {
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");
        float[][] reference = ReferenceVectorsTest.reference(Shared.MINILM, "stsb-dev-sample");

        try (SentenceTransformer int8 = SentenceTransformer.load(Shared.MINILM, LoadOptions.defaults().withQuantized(true))) {
            assertThat(int8.onnxFile()).isEqualTo("onnx/model_quantized.onnx");
            // Measured: every row differs by 0.015 or more somewhere; cosines 0.982 at worst, 0.991 on average.
            VectorAssertions.assertInt8Ran(int8.encode(texts), reference, 0.975, 0.988);
            List<String> seeds = Shared.lines("data/seed-sentences.txt");
            float[][] scores = int8.similarity(new float[][] {int8.encode(seeds.get(0))}, int8.encode(seeds.subList(1, 6)));
            int best = 0;
            for (int i = 1; i < 5; i++) {
                best = scores[0][i] > scores[0][best] ? i : best;
            }
            assertThat(best).isEqualTo(1);
        }
    }
}
