package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import com.google.protobuf.ByteString;
import dev.sentence4j.ChildJvm;
import dev.sentence4j.Shared;
import dev.sentence4j.graph.onnx.OnnxProto.GraphProto;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.tokenize.BatchEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph inputs sentence4j feeds, and the ones it refuses by name. */
class OnnxGraphTest {
    private static final RuntimeOptions ONE_THREAD = new RuntimeOptions(1, null);
    private static final Path EXPORT = Shared.path("fixtures/st6/models/seed-bert-mean/onnx/model.onnx");

    @Test
    void feedsPositionIdsCountedAmongTheRealTokens() {
        try (OnnxGraph graph = OnnxGraph.load(TinyOnnx.echoingPositions(List.of()), "echo.onnx", "last_hidden_state", 3, ONE_THREAD)) {
            // Row 0 padded on the left, row 1 full, row 2 padded on the right.
            long[] mask = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};

            TokenEmbeddings fed = graph.run(new BatchEncoding(new long[12], mask, new long[12], 3, 4));

            assertThat(graph.inputNames()).containsExactly("input_ids", "attention_mask", "position_ids");
            assertThat(fed.values()).containsExactly(1, 1, 0, 1, 0, 1, 2, 3, 0, 1, 1, 1);
        }
    }

    @Test
    void refusesAKeyValueCacheNamingItAndWhatToDo() {
        assertThatThrownBy(() -> OnnxGraph.load(TinyOnnx.echoingPositions(List.of("past_key_values.0.key")), "decoder.onnx",
                "last_hidden_state", 3, ONE_THREAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("decoder.onnx: graph input 'past_key_values.0.key' is not one sentence4j can feed")
                .hasMessageContaining("key/value cache").hasMessageContaining("--task feature-extraction");
        assertThatThrownBy(() -> OnnxGraph.load(TinyOnnx.echoingPositions(List.of("pixel_values")), "vision.onnx",
                "last_hidden_state", 3, ONE_THREAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vision.onnx: graph input 'pixel_values' is not one sentence4j can feed (it feeds input_ids, "
                        + "attention_mask, token_type_ids, position_ids)");
    }

    /**
     * Issue 14, row 5: ONNX Runtime's own log lines never reach stderr. A graph with an unused
     * initializer makes ONNX Runtime warn ("Removing initializer ...") on its native stderr, which only a
     * JVM of its own can catch: there nothing but the child's own line may appear.
     */
    @Test
    void onnxRuntimeLogsOnlyFatalErrors() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(LoadAGraphThatWarns.class),
                LoadAGraphThatWarns.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.strip()).isEqualTo("ran: 3 positions");
    }

    /** Loads and runs the echoing graph with an initializer no node uses. */
    static final class LoadAGraphThatWarns {
        public static void main(String[] args) throws Exception {
            ModelProto.Builder model = ModelProto.parseFrom(TinyOnnx.echoingPositions(List.of())).toBuilder();
            model.getGraphBuilder().addInitializer(TensorProto.newBuilder().setName("unused")
                    .setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1).addFloatData(1f));
            try (OnnxGraph graph = OnnxGraph.load(model.build().toByteArray(), "warns.onnx", "last_hidden_state", 3,
                    new RuntimeOptions(1, null))) {
                TokenEmbeddings out = graph.run(new BatchEncoding(new long[] {101, 7, 102}, new long[] {1, 1, 1}, new long[3], 1, 3));
                System.out.println("ran: " + out.sequenceLength() + " positions");
            }
        }
    }

    /** Issue 24, item 4: an output that overflowed is refused, naming the graph, the output, the row and token. */
    @Test
    void aNonFiniteOutputIsRefusedRatherThanReturned() {
        try (OnnxGraph graph = OnnxGraph.load(TinyOnnx.invertingPositions(), "overflow.onnx", "last_hidden_state", 3, ONE_THREAD)) {
            // Row 0 padded on the left: its padding (position 1) is finite, its first real token (position 0) is not.
            long[] mask = {0, 0, 1, 1, 1, 1, 1, 1};

            assertThatThrownBy(() -> graph.run(new BatchEncoding(new long[8], mask, new long[8], 2, 4)))
                    .isInstanceOf(NonFiniteOutputException.class)
                    .hasMessageStartingWith("overflow.onnx: output 'last_hidden_state' is Infinity at token 2;")
                    .satisfies(e -> assertThat(((NonFiniteOutputException) e).row()).isZero());
        }
    }

    /** Issue 24, item 4: an ONNX file whose weight holds NaN is refused as it is loaded, naming the weight. */
    @Test
    void aNanWeightInAnExportIsNamedOnLoad(@TempDir Path temp) throws IOException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(EXPORT));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        int index = 0;
        while (graph.getInitializer(index).getDataType() != DataType.FLOAT_VALUE || graph.getInitializer(index).getRawData().size() < 8) {
            index++;
        }
        TensorProto weight = graph.getInitializer(index);
        byte[] raw = weight.getRawData().toByteArray();
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putFloat(4, Float.NaN);
        graph.setInitializer(index, weight.toBuilder().setRawData(ByteString.copyFrom(raw)));
        Path damaged = Files.write(temp.resolve("model.onnx"), model.toBuilder().setGraph(graph).build().toByteArray());

        assertThatThrownBy(() -> OnnxGraph.load(damaged, "last_hidden_state", 3, ONE_THREAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(damaged + ": weight '" + weight.getName() + "' holds NaN (value 1 of ");
    }

    /** Issue 24, item 6: an empty, cut or foreign model.onnx is named as such, without ONNX Runtime's C++ locations. */
    @Test
    void anEmptyOrCutExportIsNamedInWords(@TempDir Path temp) throws IOException {
        Path empty = Files.createFile(temp.resolve("empty.onnx"));
        byte[] whole = Files.readAllBytes(EXPORT);
        Path cut = Files.write(temp.resolve("cut.onnx"), Arrays.copyOf(whole, whole.length / 2));
        Path text = Files.writeString(temp.resolve("text.onnx"), "<html>404 Not Found</html>");

        assertThatThrownBy(() -> OnnxGraph.load(empty, "last_hidden_state", 3, ONE_THREAD))
                .hasMessage(empty + " is empty (0 bytes), not an ONNX model; download or export it again");
        for (Path file : List.of(cut, text)) {
            assertThatThrownBy(() -> OnnxGraph.load(file, "last_hidden_state", 3, ONE_THREAD))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(file + " is not an ONNX model")
                    .hasMessageNotContaining(".cc:").hasMessageNotContaining("onnxruntime::");
        }
    }

    /** What is left of ONNX Runtime's own messages: no error-code prefix, no C++ file, line or function. */
    @Test
    void onnxRuntimesMessagesLoseTheirCppLocations() {
        OrtException e = new OrtException(OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF, "Load model from /m/model.onnx failed:"
                + "/onnxruntime_src/onnxruntime/core/graph/model.cc:177 onnxruntime::Model::Model(onnx::ModelProto&&, const PathString&,"
                + " const logging::Logger&, const ModelOptions&) Failed to load model because protobuf parsing failed.");

        assertThat(OnnxGraph.plain(e))
                .isEqualTo("Load model from /m/model.onnx Failed to load model because protobuf parsing failed.");
    }
}
