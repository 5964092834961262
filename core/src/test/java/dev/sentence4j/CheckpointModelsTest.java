package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.graph.DerivedCheckpoints;
import dev.sentence4j.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real models, loaded from checkpoints ({@code model.safetensors} derived from their ONNX exports,
 * no ONNX file in the folder): the graph sentence4j builds reproduces the reference vectors and the STSb
 * figures of the exports; {@code withQuantized} runs the int8 graph built from the checkpoint; the
 * built graph is cached, and the second load reuses it.
 */
class CheckpointModelsTest {
    @TempDir
    static Path temp;
    private static final Map<String, SentenceTransformer> MODELS = new HashMap<>();
    private static Path cache;

    @BeforeAll
    static void loadBothFromTheirCheckpoints() throws IOException {
        cache = Files.createDirectories(temp.resolve("cache"));
        for (String id : List.of(Shared.MINILM, Shared.BGE)) {
            Path folder = DerivedCheckpoints.write(id, temp);
            MODELS.put(id, SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(cache)));
        }
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(SentenceTransformer::close);
    }

    static Stream<Arguments> modelsAndSets() {
        return ReferenceVectorsTest.modelsAndSets();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("modelsAndSets")
    void theBuiltGraphReproducesTheReferenceVectors(String model, String set) throws IOException {
        SentenceTransformer encoder = MODELS.get(model);
        assertThat(encoder.transformer().builtFromCheckpoint()).isTrue();
        assertThat(encoder.onnxFile()).isEqualTo("model.safetensors");
        ReferenceVectorsTest.assertMatchesReference(encoder, model, set);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sentence-transformers/all-MiniLM-L6-v2, 0.8671631", "BAAI/bge-small-en-v1.5, 0.8892466"})
    void theBuiltGraphGivesTheStsbFigures(String model, double expected) throws IOException {
        assertThat(StsBenchmarkTest.spearman(MODELS.get(model))).isCloseTo(expected, within(1e-6));
    }

    /**
     * {@code withQuantized(true)} on a checkpoint runs the int8 graph: vectors that differ from float32
     * but stay as close as the shipped int8 export's (HubModelTest). Its STSb Spearman (within 0.002 of
     * float32) is measured in BENCHMARKS.md rather than recomputed here.
     */
    @Test
    void quantizedOnACheckpointRunsTheInt8Graph() throws IOException {
        Path folder = temp.resolve(Shared.shortName(Shared.MINILM));
        List<String> texts = Shared.referenceTexts("seed-sentences");
        try (SentenceTransformer int8 = SentenceTransformer.load(folder.toString(),
                LoadOptions.defaults().withQuantized(true).withCacheDirectory(null))) {
            assertThat(int8.transformer().builtFromCheckpoint()).isTrue();
            VectorAssertions.assertInt8Ran(int8.encode(texts), ReferenceVectorsTest.reference(Shared.MINILM, "seed-sentences"),
                    0.985, 0.988);
        }
    }

    @Test
    void theBuiltGraphIsCachedAndTheSecondLoadUsesIt() throws IOException {
        Path graphs = cache.resolve("graphs");
        List<Path> cached;
        try (Stream<Path> files = Files.list(graphs)) {
            cached = files.filter(f -> f.toString().endsWith(".onnx")).toList();
        }
        assertThat(cached).hasSize(2);
        try (Stream<Path> files = Files.list(graphs)) {
            // The weights lie beside each graph, not in it.
            assertThat(files.filter(f -> f.toString().endsWith(".data"))).hasSize(2);
        }
        Path folder = temp.resolve(Shared.shortName(Shared.MINILM));
        List<String> texts = Shared.referenceTexts("seed-sentences");
        try (SentenceTransformer again = SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(cache))) {
            assertThat(again.transformer().source()).contains("earlier load: " + graphs);
            assertClose(again.encode(texts), ReferenceVectorsTest.reference(Shared.MINILM, "seed-sentences"), REFERENCE_TOLERANCE, texts);
        }
    }

    @Test
    void aFolderWithNeitherAnOnnxFileNorACheckpointSaysWhatWasLookedFor() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("no-weights"));
        Path source = temp.resolve(Shared.shortName(Shared.MINILM));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f) && !f.endsWith("model.safetensors")).toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.copy(source.resolve("1_Pooling/config.json"), folder.resolve("1_Pooling/config.json"));
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(null)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("has no ONNX file (looked for onnx/model.onnx, model.onnx)")
                .hasMessageContaining("no checkpoint (looked for model.safetensors, model.safetensors.index.json, pytorch_model.bin");
    }
}
