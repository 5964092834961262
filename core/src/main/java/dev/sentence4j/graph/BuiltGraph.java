package dev.sentence4j.graph;

import ai.onnxruntime.OnnxJavaType;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An ONNX graph built in memory whose weights are not inside it: each is declared as external data
 * and supplied from a buffer outside the Java heap (a memory-mapped weight file, or native memory),
 * which ONNX Runtime uses where it lies.
 *
 * @param model the serialized {@code ModelProto}
 * @param weights the tensors its external initializers stand for
 * @param source what the graph was built from, for messages
 */
public record BuiltGraph(byte[] model, List<Weight> weights, String source) {
    public BuiltGraph {
        weights = List.copyOf(weights);
    }

    /**
     * One external initializer's data.
     *
     * @param name the initializer it replaces
     * @param type its element type
     * @param shape its dimensions
     * @param data its bytes in native order; direct, or copied into native memory when opened
     */
    public record Weight(String name, OnnxJavaType type, long[] shape, ByteBuffer data) {}
}
