package dev.sentence4j.graph;

import ai.onnxruntime.OnnxJavaType;
import dev.sentence4j.graph.onnx.OnnxProto.AttributeProto;
import dev.sentence4j.graph.onnx.OnnxProto.GraphProto;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.NodeProto;
import dev.sentence4j.graph.onnx.OnnxProto.OperatorSetIdProto;
import dev.sentence4j.graph.onnx.OnnxProto.StringStringEntryProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import dev.sentence4j.graph.onnx.OnnxProto.TensorShapeProto;
import dev.sentence4j.graph.onnx.OnnxProto.TypeProto;
import dev.sentence4j.graph.onnx.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph under construction, written with the classes protoc generates from ONNX's own schema.
 * Values are named by strings; each node gets a fresh output name. Small constants are stored in the
 * graph; weights are external initializers whose data comes from buffers outside the Java heap.
 */
final class GraphBuilder {
    static final String MICROSOFT = "com.microsoft";
    /** ONNX opset 17: LayerNormalization is standard from here on, and ONNX Runtime 1.29 runs all of it. */
    private static final int OPSET = 17;
    /** IR version 8 goes with opset 17. */
    private static final int IR_VERSION = 8;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final List<BuiltGraph.Weight> weights = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final String name;

    GraphBuilder(String name) {
        this.name = name;
        graph.setName(name);
    }

    /** Declares a graph input; a dimension is a {@code Long} size or a {@code String} symbol. */
    String input(String value, DataType type, Object... dims) {
        graph.addInput(valueInfo(value, type, dims));
        return value;
    }

    /** Declares {@code value} a graph output under {@code outputName}. */
    void output(String value, String outputName, DataType type, Object... dims) {
        if (!value.equals(outputName)) {
            graph.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(value).addOutput(outputName)
                    .setName(fresh("Identity")));
        }
        graph.addOutput(valueInfo(outputName, type, dims));
    }

    /** Adds a standard ONNX node with one output, returning that output's name. */
    String node(String op, List<String> inputs, AttributeProto... attributes) {
        return nodes("", op, 1, inputs, attributes)[0];
    }

    /** Adds a node of ONNX Runtime's {@code com.microsoft} domain with one output. */
    String microsoft(String op, List<String> inputs, AttributeProto... attributes) {
        return nodes(MICROSOFT, op, 1, inputs, attributes)[0];
    }

    /** Adds a node with several outputs, returning their names. An empty input name skips an optional input. */
    String[] nodes(String domain, String op, int outputs, List<String> inputs, AttributeProto... attributes) {
        String nodeName = fresh(op);
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setDomain(domain).setName(nodeName)
                .addAllInput(inputs).addAllAttribute(Arrays.asList(attributes));
        String[] names = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            names[i] = nodeName + "_out" + i;
            node.addOutput(names[i]);
        }
        graph.addNode(node);
        return names;
    }

    /** A float constant stored in the graph. */
    String floats(long[] dims, float... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(fresh("const")).setDataType(DataType.FLOAT_VALUE);
        for (long d : dims) {
            tensor.addDims(d);
        }
        for (float v : values) {
            tensor.addFloatData(v);
        }
        graph.addInitializer(tensor);
        return tensor.getName();
    }

    /** A float scalar stored in the graph. */
    String scalar(float value) {
        return floats(new long[0], value);
    }

    /** A one-dimensional int64 constant stored in the graph (shapes, axes, indices). */
    String longs(long... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(fresh("const")).setDataType(DataType.INT64_VALUE)
                .addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        graph.addInitializer(tensor);
        return tensor.getName();
    }

    /** An int64 scalar stored in the graph. */
    String longScalar(long value) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(fresh("const")).setDataType(DataType.INT64_VALUE)
                .addInt64Data(value);
        graph.addInitializer(tensor);
        return tensor.getName();
    }

    /**
     * An initializer whose data stays outside the graph: declared as external data (so the graph alone
     * is still valid ONNX) and handed to ONNX Runtime as the buffer itself.
     *
     * @param location the file the data comes from, recorded for whoever reads the graph
     */
    String external(String initializer, DataType type, long[] dims, ByteBuffer data, String location) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(initializer).setDataType(type.getNumber())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("length", Integer.toString(data.remaining())));
        for (long d : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        weights.add(new BuiltGraph.Weight(initializer, javaType(type), dims.clone(), data.order(ByteOrder.nativeOrder())));
        return initializer;
    }

    /** Float values computed here (a quantized or rearranged weight), kept in native memory rather than in the graph. */
    String computed(String initializer, long[] dims, float[] values) {
        ByteBuffer data = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
        data.asFloatBuffer().put(values);
        return external(initializer, DataType.FLOAT, dims, data, "computed");
    }

    /** Int8 values computed here, kept in native memory rather than in the graph. */
    String computed(String initializer, long[] dims, byte[] values) {
        ByteBuffer data = ByteBuffer.allocateDirect(values.length).order(ByteOrder.nativeOrder());
        data.put(values).flip();
        return external(initializer, DataType.INT8, dims, data, "computed");
    }

    /** The finished model: opset 17 plus ONNX Runtime's contrib operators. */
    BuiltGraph build(String source) {
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("sentence4j")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1))
                .setGraph(graph)
                .build();
        return new BuiltGraph(model.toByteArray(), weights, source);
    }

    /** A fresh value or node name with a readable stem. */
    String fresh(String stem) {
        int n = counters.merge(stem, 1, Integer::sum);
        return name + "/" + stem + "_" + n;
    }

    static AttributeProto attribute(String key, long value) {
        return AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attribute(String key, float value) {
        return AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto attribute(String key, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            attribute.addInts(v);
        }
        return attribute.build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static ValueInfoProto valueInfo(String value, DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String symbol) {
                dim.setDimParam(symbol);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(value)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private static OnnxJavaType javaType(DataType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            default -> throw new IllegalArgumentException("no external weights of type " + type);
        };
    }
}
