package dev.sentence4j.graph;

import com.google.protobuf.ByteString;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto;
import dev.sentence4j.model.ModelFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The graph sentence4j builds from a checkpoint, written as one self-contained ONNX file: each external
 * initializer's bytes moved into the graph as raw data. Any ONNX Runtime user (a peer library in a
 * benchmark) then runs exactly the file sentence4j runs.
 */
public final class SelfContainedOnnx {
    private SelfContainedOnnx() {}

    /**
     * Builds the graph of the checkpoint in {@code folder} with {@code head} and writes it to
     * {@code folder/onnx/model.onnx}, where sentence4j's loaders then find it before the checkpoint.
     */
    public static Path export(Path folder, Head head) throws IOException {
        String checkpoint = CheckpointGraph.checkpointFile(ModelFiles.folder(folder), "")
                .orElseThrow(() -> new IllegalArgumentException(folder + " has no checkpoint"));
        Path file = Files.createDirectories(folder.resolve("onnx")).resolve("model.onnx");
        write(CheckpointGraph.recipe(ModelFiles.folder(folder), checkpoint, head, false).build().get(), file);
        return file;
    }

    /** Writes a built graph with its weights inside it. */
    public static void write(BuiltGraph graph, Path file) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // The weights are in native order; ONNX's raw data is little-endian.
            throw new IllegalStateException("writing ONNX raw data needs a little-endian machine");
        }
        Map<String, BuiltGraph.Weight> weights = graph.weights().stream()
                .collect(Collectors.toMap(BuiltGraph.Weight::name, Function.identity()));
        ModelProto.Builder model = ModelProto.parseFrom(graph.model()).toBuilder();
        for (TensorProto.Builder tensor : model.getGraphBuilder().getInitializerBuilderList()) {
            BuiltGraph.Weight weight = weights.get(tensor.getName());
            if (weight != null) {
                tensor.clearExternalData().clearDataLocation()
                        .setRawData(ByteString.copyFrom(weight.data().duplicate()));
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            model.build().writeTo(out);
        }
    }
}
