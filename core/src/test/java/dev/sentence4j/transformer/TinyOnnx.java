package dev.sentence4j.transformer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tiny ONNX graphs for tests, written straight as protobuf: a text encoder's inputs, and as its
 * "token embeddings" {@code [batch, tokens, 1]} the {@code position_ids} it is fed, so a test sees
 * what the graph received.
 */
public final class TinyOnnx {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_INTS = 7;

    private TinyOnnx() {}

    /**
     * A graph taking {@code input_ids}, {@code attention_mask}, {@code position_ids} and any
     * {@code extraInputs}, whose output {@code last_hidden_state} is {@code position_ids} as floats.
     */
    public static byte[] echoingPositions(List<String> extraInputs) {
        Message graph = new Message().string(2, "echo-positions");
        graph.message(1, new Message().string(1, "position_ids").string(2, "positions").string(4, "Cast")
                .message(5, new Message().string(1, "to").varint(3, FLOAT).varint(20, ATTRIBUTE_INT)));
        graph.message(1, new Message().string(1, "positions").string(2, "last_hidden_state").string(4, "Unsqueeze")
                .message(5, new Message().string(1, "axes").varint(8, 2).varint(20, ATTRIBUTE_INTS)));
        for (String input : List.of("input_ids", "attention_mask", "position_ids")) {
            graph.message(11, tensor(input, INT64, false));
        }
        extraInputs.forEach(input -> graph.message(11, tensor(input, FLOAT, false)));
        graph.message(12, tensor("last_hidden_state", FLOAT, true));
        return new Message().varint(1, 7).message(7, graph).message(8, new Message().string(1, "").varint(2, 11)).bytes();
    }

    /** A tensor of shape {@code [batch, sequence]}, or {@code [batch, sequence, 1]}. */
    private static Message tensor(String name, int type, boolean hidden) {
        Message shape = new Message().message(1, new Message().string(2, "batch")).message(1, new Message().string(2, "sequence"));
        if (hidden) {
            shape.message(1, new Message().varint(1, 1));
        }
        return new Message().string(1, name).message(2, new Message().message(1, new Message().varint(1, type).message(2, shape)));
    }

    /** A protobuf message: fields written in order, varints and length-delimited values only. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.bytes());
        }

        private Message bytes(int field, byte[] value) {
            writeVarint((long) field << 3 | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        private void writeVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
