package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.evaluation.Correlation;
import dev.sentence4j.io.Npy;
import dev.sentence4j.transformer.Transformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12's "done when", through the public classes: every st6 fixture without its ONNX export (the
 * {@code models/} folder copied without {@code onnx/}, so the loader falls back to
 * {@code model.safetensors}; every {@code models-bin/} twin, which has only {@code pytorch_model.bin})
 * runs the graph sentence4j builds from its checkpoint and reproduces what sentence-transformers 6.0.1
 * returned, to 1e-5: the nine embedding models' vectors (and their query-prompt vectors where the
 * reference has them), the cross-encoder's scores and raw logits, the SPLADE encoder's vectors with
 * exactly its non-zero entries. Each fixture is loaded once. Also: int8 from the checkpoint where a
 * folder has no int8 export.
 */
class CheckpointFixturesTest {
    private static final List<String> NO_ONNX_TWIN = List.of("cross-encoder-bert", "splade-bert");
    @TempDir
    static Path temp;
    private static List<String> texts;

    /** The models whose query-prompt vectors the reference has; a reference file not named here fails the test below. */
    private static final List<String> PROMPTED = List.of("bert-cls-dense-lower", "qwen3-lasttoken");

    @BeforeAll
    static void readTexts() {
        texts = Shared.lines("fixtures/st6/public.txt");
    }

    static Stream<Arguments> fixtures() {
        List<Arguments> all = new ArrayList<>();
        for (String name : NO_ONNX_TWIN) {
            all.add(Arguments.of("models", name));
        }
        for (String name : SentenceTransformers6Test.MODELS) {
            all.add(Arguments.of("models", name));
            all.add(Arguments.of("models-bin", name));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("fixtures")
    void theGraphBuiltFromTheCheckpointReproducesTheLibrary(String set, String name) throws IOException {
        Path folder = set.equals("models") ? withoutOnnx(name) : Shared.path("fixtures/st6/models-bin/" + name);
        String checkpoint = set.equals("models") ? "model.safetensors" : "pytorch_model.bin";
        // No cache: every load builds its graph (the cache is CheckpointModelsTest's).
        LoadOptions options = LoadOptions.defaults().withCacheDirectory(null);
        switch (name) {
            case "cross-encoder-bert" -> {
                try (CrossEncoder model = CrossEncoder.load(folder.toString(), options)) {
                    assertBuilt(model.transformer(), checkpoint);
                    assertCrossEncoderMatches(model);
                }
            }
            case "splade-bert" -> {
                try (SparseEncoder model = SparseEncoder.load(folder.toString(), options)) {
                    assertBuilt(model.transformer(), checkpoint);
                    assertSparseEncoderMatches(model);
                }
            }
            default -> {
                try (SentenceTransformer model = SentenceTransformer.load(folder.toString(), options)) {
                    assertBuilt(model.transformer(), checkpoint);
                    assertClose(model.encode(texts, EncodeOptions.defaults().withBatchSize(16)), reference(name + ".public.npy"),
                            REFERENCE_TOLERANCE, texts);
                    if (PROMPTED.contains(name)) {
                        assertClose(model.encode(texts, EncodeOptions.defaults().withPromptName("query")),
                                reference(name + ".public.query.npy"), REFERENCE_TOLERANCE, texts);
                    }
                }
            }
        }
    }

    @Test
    void everyQueryPromptReferenceIsChecked() throws IOException {
        try (Stream<Path> files = Files.list(Shared.path("fixtures/st6/reference"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".public.query.npy"))
                    .map(f -> f.substring(0, f.indexOf('.'))))
                    .containsExactlyInAnyOrderElementsOf(PROMPTED);
        }
    }

    /**
     * {@code withQuantized(true)} on a folder with a float32 export and no int8 one builds the int8
     * graph from its checkpoint: here a CrossEncoder's, with its sequence-classification head.
     */
    @Test
    void quantizedWithoutAnInt8ExportBuildsTheInt8GraphFromTheCheckpoint() throws IOException {
        Path folder = CrossEncoderReference.folder();
        assertThat(folder.resolve("onnx/model.onnx")).exists();
        try (CrossEncoder model = CrossEncoder.load(folder.toString(),
                LoadOptions.defaults().withCacheDirectory(null).withQuantized(true))) {
            assertBuilt(model.transformer(), "model.safetensors");
            List<TextPair> pairs = CrossEncoderReference.pairs();
            // Logits, not sigmoid scores: the reference's scores span only 0.17 to 0.29, its logits -1.57 to -0.88.
            float[] expected = CrossEncoderReference.logits(pairs.size());
            float[] logits = model.predict(pairs, PredictOptions.defaults().withApplyActivation(false));
            assertThat(logits).containsExactly(expected, within(0.15f));
            double[] int8 = IntStream.range(0, logits.length).mapToDouble(i -> logits[i]).toArray();
            double[] float32 = IntStream.range(0, expected.length).mapToDouble(i -> expected[i]).toArray();
            assertThat(Correlation.spearman(int8, float32)).as("int8 ranks the pairs as float32 does").isGreaterThan(0.95);
            assertThat(IntStream.range(0, logits.length).mapToDouble(i -> Math.abs(logits[i] - expected[i])).max().orElseThrow())
                    .as("int8 really ran").isGreaterThan(1e-4);
        }
    }

    private static void assertBuilt(Transformer transformer, String checkpoint) {
        assertThat(transformer.builtFromCheckpoint()).as("built from the checkpoint").isTrue();
        assertThat(transformer.onnxFile()).isEqualTo(checkpoint);
    }

    private static void assertCrossEncoderMatches(CrossEncoder model) throws IOException {
        List<TextPair> pairs = CrossEncoderReference.pairs();
        assertThat(model.predict(pairs)).containsExactly(CrossEncoderReference.scores(pairs.size()),
                within(1e-5f));
        assertThat(model.predict(pairs, PredictOptions.defaults().withApplyActivation(false)))
                .containsExactly(CrossEncoderReference.logits(pairs.size()), within(1e-5f));
    }

    private static void assertSparseEncoderMatches(SparseEncoder model) throws IOException {
        float[][] expected = reference("splade-bert.public.npy");
        List<SparseVector> vectors = model.encode(texts, SparseEncodeOptions.defaults().withBatchSize(16));
        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] row = expected[i];
            assertThat(vectors.get(i).indices()).as("non-zero entries of line %d", i + 1)
                    .containsExactly(IntStream.range(0, row.length).filter(v -> row[v] != 0).toArray());
            assertThat(vectors.get(i).toArray(model.dimension())).as("line %d", i + 1).containsExactly(row, within(1e-5f));
        }
    }

    /** The fixture's folder copied without its {@code onnx/} export. */
    private static Path withoutOnnx(String name) throws IOException {
        Path source = Shared.path("fixtures/st6/models/" + name);
        Path target = temp.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = source.relativize(file);
                if (!relative.startsWith("onnx")) {
                    Files.createDirectories(target.resolve(relative).getParent());
                    Files.copy(file, target.resolve(relative));
                }
            }
        }
        assertThat(target.resolve("model.safetensors")).exists();
        assertThat(target.resolve("onnx")).doesNotExist();
        return target;
    }

    private static float[][] reference(String file) throws IOException {
        return Npy.read(Shared.path("fixtures/st6/reference/" + file));
    }
}
