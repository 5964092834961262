package dev.sentence4j.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. Tensors are read as float32 from
 * F32, F16, BF16 or F64 data.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {}

    /**
     * A tensor read as float32.
     *
     * @param shape its dimensions
     * @param values its values, row-major
     */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            if (count != values.length) {
                throw new IllegalArgumentException("shape holds " + count + " values, got " + values.length);
            }
        }
    }

    /**
     * Reads every tensor of a safetensors file; {@code source} names it in errors.
     *
     * @throws IOException naming the source and the tensor when the file is malformed
     */
    public static Map<String, Tensor> read(byte[] file, String source) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 8) {
            throw new IOException(source + ": too short to be a safetensors file");
        }
        long headerLength = bytes.getLong(0);
        if (headerLength <= 0 || headerLength > file.length - 8) {
            throw new IOException(source + ": header length " + headerLength + " does not fit a file of " + file.length
                    + " bytes; not a safetensors file");
        }
        JsonNode header = JSON.readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
        int dataStart = 8 + (int) headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals("__metadata__")) {
                tensors.put(entry.getKey(), tensor(bytes, dataStart, entry.getValue(), source + " tensor '" + entry.getKey() + "'"));
            }
        }
        return tensors;
    }

    private static Tensor tensor(ByteBuffer bytes, int dataStart, JsonNode info, String where) throws IOException {
        String dtype = info.path("dtype").asText();
        JsonNode shapeNode = info.path("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            count *= shape[i];
        }
        long begin = info.path("data_offsets").path(0).asLong(-1);
        long end = info.path("data_offsets").path(1).asLong(-1);
        FloatEncoding encoding = switch (dtype) {
            case "F32" -> FloatEncoding.F32;
            case "F16" -> FloatEncoding.F16;
            case "BF16" -> FloatEncoding.BF16;
            case "F64" -> FloatEncoding.F64;
            default -> throw new IOException(where + ": dtype " + dtype + " is not a float type sentence4j reads");
        };
        if (begin < 0 || end - begin != count * encoding.width || dataStart + end > bytes.capacity()) {
            throw new IOException(where + ": byte range [" + begin + ", " + end + ") does not hold " + count + " " + dtype
                    + " values inside the file");
        }
        float[] values = encoding.read(bytes, dataStart + (int) begin, (int) count);
        return new Tensor(shape, values);
    }

    /** Writes float32 tensors as a safetensors file. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            ObjectNode info = header.putObject(entry.getKey());
            info.put("dtype", "F32");
            var shape = info.putArray("shape");
            for (long d : entry.getValue().shape()) {
                shape.add(d);
            }
            long size = entry.getValue().values().length * 4L;
            info.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            for (Tensor tensor : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(tensor.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(tensor.values());
                out.write(data.array());
            }
        }
    }
}
