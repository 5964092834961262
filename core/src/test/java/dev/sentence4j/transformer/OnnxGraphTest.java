package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.ChildJvm;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto;
import dev.sentence4j.tokenize.BatchEncoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph inputs sentence4j feeds, and the ones it refuses by name. */
class OnnxGraphTest {
    private static final RuntimeOptions ONE_THREAD = new RuntimeOptions(1, null);

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
}
