package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.tokenize.BatchEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph inputs sentence4j feeds. */
class OnnxGraphTest {
    private static final RuntimeOptions ONE_THREAD = new RuntimeOptions(1, null);

    @Test
    void feedsPositionIdsCountedAmongTheRealTokens() {
        try (OnnxGraph graph = OnnxGraph.load(TinyOnnx.echoingPositions(List.of()), "echo.onnx", "last_hidden_state", ONE_THREAD)) {
            // Row 0 padded on the left, row 1 full, row 2 padded on the right.
            long[] mask = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};

            TokenEmbeddings fed = graph.run(new BatchEncoding(new long[12], mask, new long[12], 3, 4));

            assertThat(graph.inputNames()).containsExactly("input_ids", "attention_mask", "position_ids");
            assertThat(fed.values()).containsExactly(1, 1, 0, 1, 0, 1, 2, 3, 0, 1, 1, 1);
        }
    }
}
