package dev.sentence4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.Shared;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The word-embedding table of each st6 fixture, by the name transformers gives it in that architecture. */
    private static final Map<String, String> WORD_EMBEDDINGS = Map.ofEntries(
            Map.entry("bert-cls-dense-lower", "embeddings.word_embeddings.weight"),
            Map.entry("bert-maxpool-multi", "embeddings.word_embeddings.weight"),
            Map.entry("cross-encoder-bert", "bert.embeddings.word_embeddings.weight"),
            Map.entry("modernbert-mean", "embeddings.tok_embeddings.weight"),
            Map.entry("mpnet-mean", "embeddings.word_embeddings.weight"),
            Map.entry("qwen3-lasttoken", "embed_tokens.weight"),
            Map.entry("roberta-mean", "embeddings.word_embeddings.weight"),
            Map.entry("seed-bert-mean", "embeddings.word_embeddings.weight"),
            Map.entry("seed-distilbert-mean", "embeddings.word_embeddings.weight"),
            Map.entry("splade-bert", "bert.embeddings.word_embeddings.weight"),
            Map.entry("xlmr-mean", "embeddings.word_embeddings.weight"));

    @TempDir
    Path temp;

    static Set<String> fixtures() {
        return new TreeSet<>(WORD_EMBEDDINGS.keySet());
    }

    static Map<String, SafeTensors.Tensor> read(Path file) throws IOException {
        return SafeTensors.read(Files.readAllBytes(file), file.toString());
    }

    /**
     * Every tensor the real safetensors library wrote, as its header lists it (all float32), and as the
     * ONNX export of the same model holds it: ONNX keeps each initializer's raw little-endian floats,
     * transposed where the export turned a Linear into a MatMul. Only the BERT pooler is not there: the
     * export's output is the token embeddings, so the pooler was pruned from the graph.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsWhatTheRealLibraryWroteAsTheOnnxExportHoldsIt(String model) throws IOException {
        Path folder = Shared.path("fixtures/st6/models/" + model);
        Map<String, SafeTensors.Tensor> tensors = read(folder.resolve("model.safetensors"));

        assertThat(tensors).containsOnlyKeys(headerEntries(folder.resolve("model.safetensors")).keySet());
        headerEntries(folder.resolve("model.safetensors")).forEach((name, entry) -> {
            assertThat(entry.path("dtype").asText()).as(name).isEqualTo("F32");
            assertThat(tensors.get(name).shape()).as(name)
                    .containsExactly(JSON.convertValue(entry.path("shape"), long[].class));
        });
        JsonNode config = JSON.readTree(folder.resolve("config.json").toFile());
        long hidden = config.path(config.has("hidden_size") ? "hidden_size" : "dim").asLong();
        assertThat(tensors.get(WORD_EMBEDDINGS.get(model)).shape()).containsExactly(config.path("vocab_size").asLong(), hidden);

        String onnx = new String(Files.readAllBytes(folder.resolve("onnx/model.onnx")), StandardCharsets.ISO_8859_1);
        tensors.forEach((name, tensor) -> {
            if (!name.startsWith("pooler.")) {
                assertThat(onnx.contains(littleEndian(tensor.values())) || onnx.contains(littleEndian(transposed(tensor))))
                        .as("%s %s in onnx/model.onnx", name, Arrays.toString(tensor.shape())).isTrue();
            }
        });
    }

    @Test
    void readsTheRealDenseLayerAsItsConfigShapesIt() throws IOException {
        Path dense = Shared.path("fixtures/st6/models/bert-cls-dense-lower/2_Dense");
        JsonNode config = JSON.readTree(dense.resolve("config.json").toFile());

        Map<String, SafeTensors.Tensor> tensors = read(dense.resolve("model.safetensors"));

        assertThat(tensors).containsOnlyKeys("linear.weight", "linear.bias");
        long in = config.path("in_features").asLong();
        long out = config.path("out_features").asLong();
        assertThat(tensors.get("linear.weight").shape()).containsExactly(out, in);
        assertThat(tensors.get("linear.bias").shape()).containsExactly(out);
    }

    /** The tensors a safetensors header lists, read with Jackson alone. */
    private static Map<String, JsonNode> headerEntries(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        JsonNode header = JSON.readTree(new String(bytes, 8, (int) length, StandardCharsets.UTF_8));
        Map<String, JsonNode> entries = new TreeMap<>();
        header.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("__metadata__")) {
                entries.put(field.getKey(), field.getValue());
            }
        });
        return entries;
    }

    /** The float32 values as their bytes, one char per byte, to be found with String.contains. */
    private static String littleEndian(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new String(bytes.array(), StandardCharsets.ISO_8859_1);
    }

    /** A matrix's values column by column; other tensors as they are. */
    private static float[] transposed(SafeTensors.Tensor tensor) {
        if (tensor.shape().length != 2) {
            return tensor.values();
        }
        int rows = (int) tensor.shape()[0];
        int columns = (int) tensor.shape()[1];
        float[] out = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[c * rows + r] = tensor.values()[r * columns + c];
            }
        }
        return out;
    }

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

    /** Issue 24, item 6: a header that is not JSON is named by file, in words, without the JSON parser's own. */
    @Test
    void aHeaderThatIsNotJsonIsNamedWithoutTheParsersInternals(@TempDir Path temp) throws IOException {
        byte[] header = "{\"a\": garbage}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        Path path = Files.write(temp.resolve("model.safetensors"), file.array());

        for (ThrowingCallable read : List.<ThrowingCallable>of(() -> SafeTensors.read(file.array(), path.toString()),
                () -> SafeTensors.map(path))) {
            assertThatThrownBy(read).isInstanceOf(IOException.class)
                    .hasMessage(path + ": the header is not valid JSON (the error is at character 14 of 14); the file is not a"
                            + " safetensors file, or is damaged (download it again)");
        }
    }

    /** Issue 24, item 4: a NaN or infinite weight is found by its bits, in every float encoding, and named. */
    @Test
    void nonFiniteValuesAreFoundInEveryEncoding() {
        StoredTensor finite = new StoredTensor(new long[] {2}, FloatEncoding.F32,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.MAX_VALUE).putFloat(-0f).flip());
        finite.requireFinite("w");
        assertThatThrownBy(() -> new StoredTensor(new long[] {1, 2}, FloatEncoding.F32,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(Float.NaN).flip()).requireFinite("f.safetensors: tensor 'w'"))
                .hasMessage("f.safetensors: tensor 'w' holds NaN (value 1 of 2, shape [1, 2]); the weights are damaged, or were saved"
                        + " after training diverged");
        // Half: 0x7c00 is +Infinity; bfloat16: 0xff80 is -Infinity; float64: NaN.
        assertThatThrownBy(() -> new StoredTensor(new long[] {2}, FloatEncoding.F16,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3c00).putShort((short) 0x7c00).flip())
                .requireFinite("h")).hasMessageStartingWith("h holds +Infinity (value 1 of 2");
        assertThatThrownBy(() -> new StoredTensor(new long[] {1}, FloatEncoding.BF16,
                ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xff80).flip())
                .requireFinite("b")).hasMessageStartingWith("b holds -Infinity (value 0 of 1");
        assertThatThrownBy(() -> new StoredTensor(new long[] {1}, FloatEncoding.F64,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NaN).flip())
                .requireFinite("d")).hasMessageStartingWith("d holds NaN");
        assertThatThrownBy(() -> new SafeTensors.Tensor(new long[] {3}, new float[] {0, 1, Float.NEGATIVE_INFINITY}).requireFinite("t"))
                .hasMessageStartingWith("t holds -Infinity (value 2 of 3");
    }
}
