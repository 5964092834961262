package dev.sentence4j.weights;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. Tensors are read as float32 from
 * F32, F16, BF16 or F64 data, or {@linkplain #map mapped} as they are stored.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far beyond any real header: a bigger length means a file that is not safetensors. */
    private static final long MAX_HEADER = 100L << 20;

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

        /**
         * Refuses a tensor holding a NaN or infinite value, as {@link StoredTensor#requireFinite} does.
         *
         * @param where the file and tensor, for the message
         */
        public void requireFinite(String where) {
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw StoredTensor.nonFinite(where, values[i], i, shape);
                }
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
        long headerLength = headerLength(file.length >= 8 ? bytes.getLong(0) : -1, file.length, source);
        JsonNode header = header(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8), source);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors(header, 8 + headerLength, file.length, source, (at, length) -> bytes.slice((int) at, (int) length))
                .forEach((name, stored) -> tensors.put(name, new Tensor(stored.shape(), stored.floats())));
        return tensors;
    }

    /**
     * Maps a safetensors file into memory: each tensor's data is a view of the file's pages, read by
     * the operating system when first touched and never copied onto the Java heap.
     *
     * @throws IOException naming the file and the tensor when it is malformed or cannot be read
     */
    public static Map<String, StoredTensor> map(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(first, 0);
            long headerLength = headerLength(size >= 8 ? first.getLong(0) : -1, size, source);
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            while (header.hasRemaining() && channel.read(header, 8 + header.position()) >= 0) {
                // a channel may read less than asked
            }
            JsonNode json = header(new String(header.array(), StandardCharsets.UTF_8), source);
            // One mapping serves a file that fits a buffer; a larger one maps each tensor on its own.
            MappedByteBuffer whole = size <= Integer.MAX_VALUE ? channel.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
            return tensors(json, 8 + headerLength, size, source, (at, length) -> whole != null
                    ? whole.slice((int) at, (int) length)
                    : channel.map(FileChannel.MapMode.READ_ONLY, at, length));
        }
    }

    private interface Slicer {
        ByteBuffer slice(long at, long length) throws IOException;
    }

    private static long headerLength(long headerLength, long fileSize, String source) throws IOException {
        if (fileSize < 8) {
            throw new IOException(source + ": too short to be a safetensors file");
        }
        if (headerLength <= 0 || headerLength > fileSize - 8 || headerLength > MAX_HEADER) {
            throw new IOException(source + ": header length " + headerLength + " does not fit a file of " + fileSize
                    + " bytes; not a safetensors file");
        }
        return headerLength;
    }

    /** The JSON header; a file whose header is not JSON is not safetensors, or is damaged. */
    private static JsonNode header(String json, String source) throws IOException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getCharOffset() < 0 ? "" : " (the error is at character " + (at.getCharOffset() + 1)
                    + " of " + json.length() + ")";
            throw new IOException(source + ": the header is not valid JSON" + where
                    + "; the file is not a safetensors file, or is damaged (download it again)", e);
        }
    }

    private static Map<String, StoredTensor> tensors(JsonNode header, long dataStart, long fileSize, String source, Slicer slicer)
            throws IOException {
        if (header == null || !header.isObject()) {
            throw new IOException(source + ": the header is not a JSON object; not a safetensors file");
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals("__metadata__")) {
                tensors.put(entry.getKey(), tensor(entry.getValue(), dataStart, fileSize, slicer,
                        source + " tensor '" + entry.getKey() + "'"));
            }
        }
        return tensors;
    }

    private static StoredTensor tensor(JsonNode info, long dataStart, long fileSize, Slicer slicer, String where)
            throws IOException {
        String dtype = info.path("dtype").asText();
        JsonNode shapeNode = info.path("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new IOException(where + ": shape " + shapeNode + " is not a list of sizes");
            }
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
        if (begin < 0 || end - begin != count * encoding.width() || dataStart + end > fileSize) {
            throw new IOException(where + ": byte range [" + begin + ", " + end + ") does not hold " + count + " " + dtype
                    + " values inside the file");
        }
        return new StoredTensor(shape, encoding, slicer.slice(dataStart + begin, end - begin));
    }

    /** Writes float32 tensors as a safetensors file. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        Map<String, StoredTensor> stored = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            ByteBuffer data = ByteBuffer.allocate(tensor.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(tensor.values());
            stored.put(name, new StoredTensor(tensor.shape(), FloatEncoding.F32, data));
        });
        writeStored(file, stored);
    }

    /** Writes tensors as a safetensors file, each in the encoding it is stored in. */
    public static void writeStored(Path file, Map<String, StoredTensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, StoredTensor> entry : tensors.entrySet()) {
            ObjectNode info = header.putObject(entry.getKey());
            info.put("dtype", entry.getValue().encoding().name());
            var shape = info.putArray("shape");
            for (long d : entry.getValue().shape()) {
                shape.add(d);
            }
            long size = entry.getValue().data().remaining();
            info.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).flip());
            out.write(ByteBuffer.wrap(json));
            for (StoredTensor tensor : tensors.values()) {
                ByteBuffer data = tensor.data();
                while (data.hasRemaining()) {
                    out.write(data);
                }
            }
        }
    }
}
