package dev.sentence4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path temp;

    @Test
    void roundTripsFloat32() throws IOException {
        Path file = temp.resolve("w.safetensors");
        SafeTensors.write(file, Map.of("w", new SafeTensors.Tensor(new long[] {2, 2}, new float[] {1, -2, 3.5f, 0})));

        SafeTensors.Tensor w = SafeTensors.read(Files.readAllBytes(file), "w.safetensors").get("w");

        assertThat(w.shape()).containsExactly(2, 2);
        assertThat(w.values()).containsExactly(1, -2, 3.5f, 0);
    }

    @Test
    void readsHalfAndBfloat16() throws IOException {
        // 1.5 as float16 is 0x3E00; -2 as bfloat16 is 0xC000; 2^-24 is the smallest float16 subnormal (0x0001).
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]},\"__metadata__\":{\"format\":\"pt\"}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + json.length + 6).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json).putShort((short) 0x3E00).putShort((short) 0x0001).putShort((short) 0xC000);

        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file.array(), "mixed");

        assertThat(tensors.get("h").values()).containsExactly(1.5f, 0x1p-24f);
        assertThat(tensors.get("b").values()).containsExactly(-2f);
    }

    @Test
    void aBadHeaderIsNamed() {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();

        assertThatThrownBy(() -> SafeTensors.read(bytes, "bad.safetensors"))
                .hasMessageStartingWith("bad.safetensors: header length 1000 does not fit");
    }
}
