package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.Shared;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.weights.SafeTensors;
import dev.sentence4j.weights.TorchSave;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint layouts and dtypes all give the graph the same weights: sharded safetensors, names
 * with the task model's prefix, float16 and bfloat16 (cast to float32 in the graph exactly as
 * sentence4j decodes them), a torch.save file of float16 tensors.
 */
class CheckpointFormatsTest {
    private static final String FIXTURE = "seed-bert-mean";
    @TempDir
    static Path temp;
    private static Map<String, SafeTensors.Tensor> tensors;
    private static float[] reference;

    @BeforeAll
    static void buildTheFixture() throws Exception {
        tensors = CheckpointFolders.tensors(FIXTURE);
        reference = run(Shared.path("fixtures/st6/models/" + FIXTURE));
    }

    @Test
    void shardedSafetensorsGiveTheSameGraph() throws Exception {
        Path folder = CheckpointFolders.folder(temp, "sharded", FIXTURE, c -> { });
        Map<String, SafeTensors.Tensor> first = new LinkedHashMap<>();
        Map<String, SafeTensors.Tensor> second = new LinkedHashMap<>();
        ObjectNode index = CheckpointFolders.JSON.createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        List<String> names = new ArrayList<>(tensors.keySet());
        for (int i = 0; i < names.size(); i++) {
            String shard = i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            (i % 2 == 0 ? first : second).put(names.get(i), tensors.get(names.get(i)));
            map.put(names.get(i), shard);
        }
        SafeTensors.write(folder.resolve("model-00001-of-00002.safetensors"), first);
        SafeTensors.write(folder.resolve("model-00002-of-00002.safetensors"), second);
        CheckpointFolders.JSON.writeValue(folder.resolve("model.safetensors.index.json").toFile(), index);

        assertThat(CheckpointGraph.checkpointFile(ModelFiles.folder(folder), "")).contains("model.safetensors.index.json");
        assertSame(run(folder), reference);
    }

    @Test
    void prefixedNamesAreFound() throws Exception {
        Path folder = CheckpointFolders.folder(temp, "prefixed", FIXTURE, c -> { });
        Map<String, SafeTensors.Tensor> prefixed = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> prefixed.put("bert." + name, tensor));
        SafeTensors.write(folder.resolve("model.safetensors"), prefixed);
        assertSame(run(folder), reference);
    }

    @Test
    void float16AndBfloat16AreComputedInFloat32() throws Exception {
        assertNarrowMatchesItsFloat32Twin("F16", CheckpointFolders::float16);
        assertNarrowMatchesItsFloat32Twin("BF16", CheckpointFolders::bfloat16);
    }

    private static void assertNarrowMatchesItsFloat32Twin(String dtype, java.util.function.ToIntFunction<Float> encode)
            throws Exception {
        Path narrow = CheckpointFolders.folder(temp, dtype, FIXTURE, c -> { });
        CheckpointFolders.writeNarrow(narrow.resolve("model.safetensors"), tensors, dtype, encode);
        Path twin = CheckpointFolders.folder(temp, dtype + "-as-f32", FIXTURE, c -> { });
        Map<String, SafeTensors.Tensor> decoded = SafeTensors.read(Files.readAllBytes(narrow.resolve("model.safetensors")), dtype);
        SafeTensors.write(twin.resolve("model.safetensors"), decoded);

        float[] fromNarrow = run(narrow);
        assertSame(fromNarrow, run(twin));
        // Rounding the weights changes the result, a little: the narrow weights were really used.
        assertThat(maxDifference(fromNarrow, reference)).isBetween(1e-7, 0.05);
    }

    @Test
    void aTorchSaveFileOfFloat16TensorsGivesTheSameGraphAsItsSafetensors() throws Exception {
        Path safetensors = CheckpointFolders.folder(temp, "half-safetensors", FIXTURE, c -> { });
        CheckpointFolders.writeNarrow(safetensors.resolve("model.safetensors"), tensors, "F16", CheckpointFolders::float16);
        Path torch = CheckpointFolders.folder(temp, "half-torch", FIXTURE, c -> { });
        List<TorchSave.Entry> entries = new ArrayList<>();
        tensors.forEach((name, tensor) -> {
            short[] halves = new short[tensor.values().length];
            for (int i = 0; i < halves.length; i++) {
                halves[i] = (short) CheckpointFolders.float16(tensor.values()[i]);
            }
            entries.add(TorchSave.float16(name, tensor.shape(), halves));
        });
        Files.write(torch.resolve("pytorch_model.bin"), TorchSave.zip(entries));
        assertSame(run(torch), run(safetensors));
    }

    /** The built graph's last_hidden_state on the fixture's first 16 texts. */
    static float[] run(Path folder) throws Exception {
        var recipe = CheckpointGraph.recipe(ModelFiles.folder(folder), CheckpointFolders.checkpoint(folder), Head.NONE, false);
        long[][] ids = CheckpointFolders.JSON.readValue(
                Shared.path("fixtures/st6/reference/" + FIXTURE + ".public.tokens.json").toFile(), long[][].class);
        try (GraphSession session = GraphSession.of(recipe.build().get())) {
            return session.run(GraphSession.Batch.of(List.of(ids).subList(0, 16))).values();
        }
    }

    private static void assertSame(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxDifference(actual, expected)).isLessThanOrEqualTo(1e-6);
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
