package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.weights.SafeTensors;
import dev.sentence4j.weights.TorchSave;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the builder refuses, and how it says so: by file, field, value and tensor name; and the choices
 * of graph a loader refuses rather than guess.
 */
class CheckpointErrorsTest {
    private static final String FIXTURE = "seed-bert-mean";
    @TempDir
    static Path temp;
    private static Map<String, SafeTensors.Tensor> tensors;

    @BeforeAll
    static void readTheFixture() throws Exception {
        tensors = CheckpointFolders.tensors(FIXTURE);
    }

    private static Path folder(String name, Consumer<ObjectNode> edit) throws Exception {
        Path folder = CheckpointFolders.folder(temp, name, FIXTURE, edit);
        SafeTensors.write(folder.resolve("model.safetensors"), tensors);
        return folder;
    }

    private static void build(Path folder) {
        CheckpointGraph.recipe(ModelFiles.folder(folder), CheckpointFolders.checkpoint(folder), Head.NONE, false).build().get();
    }

    @Test
    void anUnsupportedModelTypeListsTheSupportedOnes() throws Exception {
        Path folder = folder("gpt2", c -> c.put("model_type", "gpt2"));
        assertThatThrownBy(() -> build(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(folder.resolve("config.json").toString())
                .hasMessageContaining("model_type 'gpt2'")
                .hasMessageContaining("bert, distilbert, modernbert, mpnet, qwen2, qwen3, roberta, xlm-roberta");
    }

    @Test
    void anActivationNotImplementedIsRefusedByFieldAndValue() throws Exception {
        Path folder = folder("quick-gelu", c -> c.put("hidden_act", "quick_gelu"));
        assertThatThrownBy(() -> build(folder))
                .hasMessageContaining("field 'hidden_act' is 'quick_gelu'")
                .hasMessageContaining("gelu, gelu_new");
    }

    @Test
    void aRelativePositionEmbeddingTypeIsRefused() throws Exception {
        Path folder = folder("relative-key", c -> c.put("position_embedding_type", "relative_key"));
        assertThatThrownBy(() -> build(folder)).hasMessageContaining("field 'position_embedding_type' is 'relative_key'");
    }

    /** Issue 24, item 8: a count of -1 is refused by field, not built into a graph of no layers. */
    @Test
    void aNegativeLayerCountIsRefusedByField() throws Exception {
        Path folder = folder("minus-one-layers", c -> c.put("num_hidden_layers", -1));
        assertThatThrownBy(() -> build(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(folder.resolve("config.json") + ": field 'num_hidden_layers' is -1; it counts or sizes part of the"
                        + " model, so it must be at least 1");
    }

    /** Issue 24, item 4: a NaN weight in the checkpoint is named, with its file, as the graph is built. */
    @Test
    void aNanWeightIsNamedWithItsFile() throws Exception {
        Path folder = CheckpointFolders.folder(temp, "nan-weight", FIXTURE, c -> { });
        Map<String, SafeTensors.Tensor> damaged = new LinkedHashMap<>(tensors);
        SafeTensors.Tensor query = tensors.get("encoder.layer.1.attention.self.query.weight");
        float[] values = query.values().clone();
        values[37] = Float.NaN;
        damaged.put("encoder.layer.1.attention.self.query.weight", new SafeTensors.Tensor(query.shape(), values));
        SafeTensors.write(folder.resolve("model.safetensors"), damaged);

        assertThatThrownBy(() -> build(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(folder.resolve("model.safetensors") + ": tensor 'encoder.layer.1.attention.self.query.weight'"
                        + " holds NaN (value 37 of 1024, shape [32, 32])");
    }

    @Test
    void aMissingTensorIsNamed() throws Exception {
        Path folder = CheckpointFolders.folder(temp, "missing", FIXTURE, c -> { });
        Map<String, SafeTensors.Tensor> fewer = new LinkedHashMap<>(tensors);
        fewer.remove("encoder.layer.1.output.dense.weight");
        SafeTensors.write(folder.resolve("model.safetensors"), fewer);
        assertThatThrownBy(() -> build(folder))
                .hasMessageStartingWith(folder.resolve("model.safetensors").toString())
                .hasMessageContaining("has no tensor 'encoder.layer.1.output.dense.weight'");
    }

    @Test
    void aTensorOfTheWrongShapeIsNamedWithBothShapes() throws Exception {
        Path folder = folder("wider", c -> c.put("intermediate_size", 128));
        assertThatThrownBy(() -> build(folder))
                .hasMessageContaining("tensor 'encoder.layer.0.intermediate.dense.weight' has shape [64, 32]")
                .hasMessageContaining("[128, 32]");
    }

    @Test
    void aMaliciousPickleIsRefusedAndRunsNothing() throws Exception {
        Path folder = CheckpointFolders.folder(temp, "malicious", FIXTURE, c -> { });
        Path marker = temp.resolve("ran");
        TorchSave.Pickler p = new TorchSave.Pickler(2);
        p.global("os", "system");
        p.tuple(() -> p.string("touch " + marker));
        p.op('R');
        Files.write(folder.resolve("pytorch_model.bin"), TorchSave.zip(p.finish(), List.of()));

        assertThatThrownBy(() -> build(folder))
                .hasMessageStartingWith(folder.resolve("pytorch_model.bin").toString())
                .hasMessageContaining("global 'os.system'")
                .hasMessageContaining("does not allow");
        assertThat(marker).doesNotExist();
    }
    @Test
    void namingAnOnnxFileAndAskingForTheCheckpointIsRefused() {
        Path folder = Shared.path("fixtures/st6/models/" + FIXTURE);
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString(),
                LoadOptions.defaults().withCacheDirectory(null).withOnnxFile("onnx/model.onnx").withCheckpoint(true)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("onnx/model.onnx is an ONNX file, but the checkpoint was asked for as well");
    }

    /** modality_config may read another output of an export; a built graph has only its head's, so that is refused, not ignored. */
    @Test
    void anOutputOnlyAnExportCanHaveIsRefusedForABuiltGraph() throws Exception {
        Path source = Shared.path("fixtures/st6/models/" + FIXTURE);
        Path folder = Files.createDirectories(temp.resolve("pooler-output"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.copy(source.resolve("1_Pooling/config.json"), folder.resolve("1_Pooling/config.json"));
        Path settings = folder.resolve("sentence_bert_config.json");
        Files.writeString(settings, Files.readString(settings).replace("\"last_hidden_state\"", "\"pooler_output\""));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(null)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(settings.toString())
                .hasMessageContaining("modality_config reads the output 'pooler_output'")
                .hasMessageContaining("gives 'last_hidden_state' only");
    }
}
