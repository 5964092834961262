package dev.sentence4j.langchain4j;

import static dev.sentence4j.langchain4j.Sentence4jEmbeddingModelTest.assertClose;
import static dev.sentence4j.langchain4j.Sentence4jEmbeddingModelTest.segments;
import static dev.sentence4j.langchain4j.Sentence4jEmbeddingModelTest.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.HubCaches;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.ModelFolders;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.VectorAssertions;
import dev.sentence4j.io.Npy;
import dev.sentence4j.layer.Normalize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder's load choices (revision, quantized, onnxFile, threads) and batch size, each judged by what
 * it changes: the real all-MiniLM-L6-v2 as a Hub repository in an offline Hugging Face cache, its
 * {@code main} with the int8 export beside the float32 one, its tag {@code v1} without the Normalize
 * module; vectors against the reference of ../shared.
 */
class LoadChoicesTest {
    private static final String REPO = "test-org/langchain4j-minilm";
    /** How a model's worker threads are named: the pool's number, then the thread's. */
    private static final Pattern WORKER = Pattern.compile("sentence4j-(\\d+)-worker-\\d+");

    @TempDir
    static Path temp;

    private static List<String> texts;
    private static float[][] reference;
    private static String v1Commit;

    @BeforeAll
    static void hubCache() throws IOException {
        texts = Shared.referenceTexts("seed-sentences");
        reference = Npy.read(Shared.path("reference/seed-sentences." + Shared.shortName(Shared.MINILM) + ".npy"));
        Path cache = HubCaches.environmentCache();
        HubCaches.clear(cache, REPO);
        Path main = ModelFolders.miniLm(temp, "main");
        HubCaches.addResource(main, "all-minilm-l6-v2-q.onnx", "onnx/model_quantized.onnx");
        HubCaches.put(cache, REPO, main, "main");
        Path v1 = ModelFolders.miniLm(temp, "v1");
        Files.writeString(v1.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]""");
        v1Commit = HubCaches.put(cache, REPO, v1, "v1");
    }

    @Test
    void revisionLoadsThatBranchTagOrCommit() {
        try (Sentence4jEmbeddingModel main = Sentence4jEmbeddingModel.builder().model(REPO).build()) {
            assertClose(embed(main), reference);
        }
        for (String revision : List.of("v1", v1Commit)) {
            try (Sentence4jEmbeddingModel v1 = Sentence4jEmbeddingModel.builder().model(REPO).revision(revision).build()) {
                float[][] vectors = embed(v1);
                // v1 has no Normalize module: the same directions, not unit length.
                assertThat(Normalize.norm(vectors[0])).as("at %s", revision).isGreaterThan(1.5);
                assertClose(Normalize.l2(vectors), reference);
            }
        }
    }

    @Test
    void quantizedRunsTheInt8Export() {
        try (Sentence4jEmbeddingModel int8 = Sentence4jEmbeddingModel.builder().model(REPO).quantized(true).build()) {
            assertThat(int8.sentenceTransformer().onnxFile()).isEqualTo("onnx/model_quantized.onnx");
            // Measured: cosines 0.990 at worst, 0.992 on average.
            VectorAssertions.assertInt8Ran(embed(int8), reference, 0.985, 0.988);
        }
    }

    @Test
    void onnxFileRunsTheFileNamed() {
        try (Sentence4jEmbeddingModel named = Sentence4jEmbeddingModel.builder().model(REPO)
                .onnxFile("onnx/model_quantized.onnx").build()) {
            assertThat(named.sentenceTransformer().onnxFile()).isEqualTo("onnx/model_quantized.onnx");
            VectorAssertions.assertInt8Ran(embed(named), reference, 0.985, 0.988);
        }
    }

    /** A model's pool makes a thread per batch until it has as many as {@code threads}; the texts make more batches. */
    @Test
    void threadsSizeTheModelsWorkers() {
        assertThat(texts).hasSizeGreaterThan(3);
        Set<String> before = workerThreads();
        try (Sentence4jEmbeddingModel threeThreads = Sentence4jEmbeddingModel.builder().model(Shared.MINILM).threads(3).build()) {
            assertClose(embed(threeThreads), reference);
            Set<String> started = startedSince(before);
            assertThat(started).as("worker threads started").hasSize(3);
            assertThat(started.stream().map(LoadChoicesTest::pool).distinct()).as("of one model's pool").hasSize(1);
        }
    }

    /**
     * The int8 export quantizes its activations with one scale per batch, so a text's vector depends on the
     * texts batched with it: in batches of one, each is the vector of the text encoded alone; in one batch
     * of all seven (one thread, the default 32), some are not.
     */
    @Test
    void batchSizeCutsTheBatches() {
        try (SentenceTransformer int8 = SentenceTransformer.load(REPO, LoadOptions.defaults().withQuantized(true).withThreads(1))) {
            float[][] alone = texts.stream().map(int8::encode).toArray(float[][]::new);

            VectorAssertions.assertClose(embed(Sentence4jEmbeddingModel.builder().model(int8).batchSize(1).build()), alone, 0);
            float[][] together = embed(Sentence4jEmbeddingModel.builder().model(int8).build());
            assertThat(IntStream.range(0, texts.size()).mapToDouble(i -> VectorAssertions.maxAbsDiff(together[i], alone[i])).max()
                    .orElseThrow()).as("largest difference of one batch from texts alone").isGreaterThan(1e-4);
        }
    }

    private static float[][] embed(Sentence4jEmbeddingModel model) {
        return vectors(model.embedAll(segments(texts)).content());
    }

    /** The names of the models' worker threads now running (a closed model's pool has stopped its own). */
    private static Set<String> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> WORKER.matcher(n).matches())
                .collect(Collectors.toSet());
    }

    private static Set<String> startedSince(Set<String> before) {
        Set<String> now = workerThreads();
        now.removeAll(before);
        return now;
    }

    private static String pool(String workerName) {
        Matcher matcher = WORKER.matcher(workerName);
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1);
    }
}
