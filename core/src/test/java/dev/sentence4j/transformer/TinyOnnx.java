package dev.sentence4j.transformer;

import dev.sentence4j.graph.onnx.OnnxProto.AttributeProto;
import dev.sentence4j.graph.onnx.OnnxProto.GraphProto;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.NodeProto;
import dev.sentence4j.graph.onnx.OnnxProto.OperatorSetIdProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import dev.sentence4j.graph.onnx.OnnxProto.TensorShapeProto;
import dev.sentence4j.graph.onnx.OnnxProto.TypeProto;
import dev.sentence4j.graph.onnx.OnnxProto.ValueInfoProto;
import java.util.List;

/**
 * Tiny ONNX graphs for tests, written with the classes generated from ONNX's schema: a text encoder's
 * inputs, and as its "token embeddings" {@code [batch, tokens, 1]} the {@code position_ids} it is fed,
 * so a test sees what the graph received.
 */
public final class TinyOnnx {
    /** Opset 11: Unsqueeze still takes its axes as an attribute. */
    private static final int OPSET = 11;
    private static final int IR_VERSION = 7;

    private TinyOnnx() {}

    /**
     * A graph taking {@code input_ids}, {@code attention_mask}, {@code position_ids} and any
     * {@code extraInputs}, whose output {@code last_hidden_state} is {@code position_ids} as floats.
     */
    public static byte[] echoingPositions(List<String> extraInputs) {
        return positions(extraInputs, false);
    }

    /**
     * A graph like {@link #echoingPositions}'s whose output is {@code 1 / position}: infinite at each
     * row's first token, as an overflowing model's would be.
     */
    public static byte[] invertingPositions() {
        return positions(List.of(), true);
    }

    private static byte[] positions(List<String> extraInputs, boolean invert) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("echo-positions")
                .addNode(NodeProto.newBuilder().setOpType("Cast").addInput("position_ids").addOutput("positions")
                        .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                                .setI(DataType.FLOAT_VALUE)));
        if (invert) {
            graph.addNode(NodeProto.newBuilder().setOpType("Reciprocal").addInput("positions").addOutput("inverted"));
        }
        graph.addNode(NodeProto.newBuilder().setOpType("Unsqueeze").addInput(invert ? "inverted" : "positions").addOutput("last_hidden_state")
                        .addAttribute(AttributeProto.newBuilder().setName("axes").setType(AttributeProto.AttributeType.INTS)
                                .addInts(2)));
        for (String input : List.of("input_ids", "attention_mask", "position_ids")) {
            graph.addInput(tensor(input, DataType.INT64, false));
        }
        extraInputs.forEach(input -> graph.addInput(tensor(input, DataType.FLOAT, false)));
        graph.addOutput(tensor("last_hidden_state", DataType.FLOAT, true));
        return ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build().toByteArray();
    }

    /** A tensor of shape {@code [batch, sequence]}, or {@code [batch, sequence, 1]}. */
    private static ValueInfoProto tensor(String name, DataType type, boolean hidden) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("sequence"));
        if (hidden) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }
}
