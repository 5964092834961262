package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
                ReferenceVectorsTest.assertMatches(result.get(), expected, texts);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @Timeout(60)
    void closingWhileEncodingLetsRunningBatchesFinishAndFailsTheCall() throws Exception {
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");
        SentenceTransformer model = SentenceTransformer.load(Shared.MINILM);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<float[][]> encoding = caller.submit(() -> model.encode(texts, EncodeOptions.defaults().withBatchSize(4)));
            Thread.sleep(200);
            model.close();
            model.close();

            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(encoding::get);
            if (failure != null) {
                assertThat(failure).hasCauseInstanceOf(IllegalStateException.class);
            }
            assertThatThrownBy(() -> model.encode("after")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        } finally {
            caller.shutdown();
        }
    }

    @Test
    void aSmallTokenBudgetSplitsBatchesWithoutChangingVectors() throws IOException {
        List<String> texts = Shared.referenceTexts("edge-cases");
        // Against unsplit batches rather than the reference, one of whose rows 6.x lowercases otherwise (ReferenceVectorsTest).
        float[][] expected = TestModels.get(Shared.BGE).encode(texts);

        float[][] actual = TestModels.get(Shared.BGE).encode(texts, EncodeOptions.defaults().withMaxBatchTokens(600));

        ReferenceVectorsTest.assertMatches(actual, expected, texts);
    }

    @Test
    void theOptimizedGraphIsCachedAndReusedWithTheSameResults() throws IOException {
        Path cache = temp.resolve("cache");
        List<String> seeds = Shared.lines("data/seed-sentences.txt");
        float[][] expected = ReferenceVectorsTest.reference(Shared.MINILM, "seed-sentences");
        LoadOptions options = LoadOptions.defaults().withCacheDirectory(cache);

        try (SentenceTransformer first = SentenceTransformer.load(Shared.MINILM, options)) {
            ReferenceVectorsTest.assertMatches(first.encode(seeds), expected, seeds);
        }
        List<Path> graphs;
        try (Stream<Path> files = Files.list(cache.resolve("graphs"))) {
            graphs = files.toList();
        }
        assertThat(graphs).hasSize(1).allMatch(p -> p.toString().endsWith(".onnx"));
        assertThat(cache.resolve("builtin/all-MiniLM-L6-v2")).isDirectory();

        try (SentenceTransformer second = SentenceTransformer.load(Shared.MINILM, options)) {
            ReferenceVectorsTest.assertMatches(second.encode(seeds), expected, seeds);
        }
        try (Stream<Path> files = Files.list(cache.resolve("graphs"))) {
            assertThat(files.toList()).isEqualTo(graphs);
        }
    }

    @Test
    void theInt8ModelIsCloseToFloat32AndStillFindsTheJello() throws IOException {
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");
        float[][] reference = ReferenceVectorsTest.reference(Shared.MINILM, "stsb-dev-sample");

        try (SentenceTransformer int8 = SentenceTransformer.load(Shared.MINILM, LoadOptions.defaults().withQuantized(true))) {
            assertThat(int8.onnxFile()).isEqualTo("onnx/model_quantized.onnx");
            float[] agreement = SimilarityFunction.COSINE.pairwise(int8.encode(texts), reference);
            for (float cosine : agreement) {
                assertThat(cosine).isGreaterThan(0.95f);
            }
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
