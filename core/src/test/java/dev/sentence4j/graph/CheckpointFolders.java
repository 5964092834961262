package dev.sentence4j.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.Shared;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.weights.FloatEncoding;
import dev.sentence4j.weights.SafeTensors;
import dev.sentence4j.weights.StoredTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Model folders for the graph tests: a fixture's config.json beside checkpoints written here. */
final class CheckpointFolders {
    static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFolders() {}

    /** The folder's checkpoint file, as the loader picks it. */
    static String checkpoint(Path folder) {
        return CheckpointGraph.checkpointFile(ModelFiles.folder(folder), "").orElseThrow();
    }

    /** The tensors of an st6 fixture, as float32. */
    static Map<String, SafeTensors.Tensor> tensors(String fixture) throws IOException {
        return SafeTensors.read(Files.readAllBytes(Shared.path("fixtures/st6/models/" + fixture + "/model.safetensors")),
                fixture);
    }

    /** A folder holding only the fixture's config.json (changed by {@code edit}), for a checkpoint to be added. */
    static Path folder(Path parent, String name, String fixture, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path folder = Files.createDirectories(parent.resolve(name));
        ObjectNode config = (ObjectNode) JSON.readTree(Shared.path("fixtures/st6/models/" + fixture + "/config.json").toFile());
        edit.accept(config);
        JSON.writeValue(folder.resolve("config.json").toFile(), config);
        return folder;
    }

    /** Writes tensors as safetensors of a narrower float type, F16 or BF16, each value encoded by {@code encode}. */
    static void writeNarrow(Path file, Map<String, SafeTensors.Tensor> tensors, String dtype, ToIntFunction<Float> encode)
            throws IOException {
        Map<String, StoredTensor> narrow = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            ByteBuffer data = ByteBuffer.allocate(tensor.values().length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : tensor.values()) {
                data.putShort((short) encode.applyAsInt(v));
            }
            narrow.put(name, new StoredTensor(tensor.shape(), FloatEncoding.valueOf(dtype), data.flip()));
        });
        SafeTensors.writeStored(file, narrow);
    }

    /** IEEE half of a float, truncated (the tests only need some half-precision values). */
    static int float16(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        if (exponent <= 0) {
            return sign;
        }
        if (exponent >= 31) {
            return sign | 0x7c00;
        }
        return sign | exponent << 10 | (bits & 0x7fffff) >>> 13;
    }

    /** bfloat16 of a float, rounded to nearest even as torch rounds. */
    static int bfloat16(float value) {
        int bits = Float.floatToIntBits(value);
        return (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
    }
}
