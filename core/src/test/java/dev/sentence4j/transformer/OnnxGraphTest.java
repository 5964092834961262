package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.tokenize.BatchEncoding;
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

    /** Issue 14, row 5: ONNX Runtime's own log lines never reach stderr; its failures come back as exceptions. */
    @Test
    void onnxRuntimeLogsOnlyFatalErrors() {
        try (OnnxGraph graph = OnnxGraph.load(TinyOnnx.echoingPositions(List.of()), "echo.onnx", "last_hidden_state", 3, ONE_THREAD)) {
            assertThat(OnnxGraph.environment().toString()).contains("logLevel=ORT_LOGGING_LEVEL_FATAL");
            assertThat(graph.source()).isEqualTo("echo.onnx");
        }
    }
}
