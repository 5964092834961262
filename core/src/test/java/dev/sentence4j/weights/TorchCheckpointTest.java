package dev.sentence4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointTest {
    private static final float[] WEIGHT = {1.5f, -0f, Float.MIN_VALUE, 1e30f, -3.25f, 0.1f};
    private static final float[] BIAS = {Float.MAX_VALUE, -7f};
    private static final List<TorchSave.Entry> LINEAR = List.of(
            TorchSave.float32("linear.weight", new long[] {2, 3}, WEIGHT),
            TorchSave.float32("linear.bias", new long[] {2}, BIAS));

    @TempDir
    Path temp;

    private static void assertLinear(Map<String, SafeTensors.Tensor> tensors) {
        assertThat(tensors).containsOnlyKeys("linear.weight", "linear.bias");
        assertThat(tensors.get("linear.weight").shape()).containsExactly(2, 3);
        assertThat(tensors.get("linear.weight").values()).containsExactly(WEIGHT);
        assertThat(tensors.get("linear.bias").shape()).containsExactly(2);
        assertThat(tensors.get("linear.bias").values()).containsExactly(BIAS);
    }

    static Stream<String> torchSaved() throws IOException {
        try (Stream<Path> folders = Files.list(Shared.path("fixtures/st6/models-bin"))) {
            return folders.map(folder -> folder.getFileName().toString()).sorted().toList().stream();
        }
    }

    /**
     * What the real torch.save wrote (the zip format; seed-distilbert-mean in the legacy format) holds
     * exactly what the real safetensors library wrote of the same model: names, shapes, every bit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("torchSaved")
    void readsWhatTheRealTorchSaveWrote(String model) throws IOException {
        Path bin = Shared.path("fixtures/st6/models-bin/" + model + "/pytorch_model.bin");
        byte[] file = Files.readAllBytes(bin);
        assertThat(file[0] == 'P' && file[1] == 'K').as("a zip archive").isEqualTo(!model.equals("seed-distilbert-mean"));

        assertSameTensors(TorchCheckpoint.read(file, bin.toString()),
                SafeTensorsTest.read(Shared.path("fixtures/st6/models/" + model + "/model.safetensors")));
    }

    @Test
    void readsTheRealDenseLayerAsTorchSaveWroteIt() throws IOException {
        Path bin = Shared.path("fixtures/st6/models-bin/bert-cls-dense-lower/2_Dense/pytorch_model.bin");

        Map<String, SafeTensors.Tensor> tensors = TorchCheckpoint.read(Files.readAllBytes(bin), bin.toString());

        assertThat(tensors.get("linear.weight").shape()).containsExactly(16, 32);
        assertSameTensors(tensors, SafeTensorsTest.read(Shared.path("fixtures/st6/models/bert-cls-dense-lower/2_Dense/model.safetensors")));
    }

    private static void assertSameTensors(Map<String, SafeTensors.Tensor> actual, Map<String, SafeTensors.Tensor> expected) {
        assertThat(actual).containsOnlyKeys(expected.keySet());
        expected.forEach((name, tensor) -> {
            assertThat(actual.get(name).shape()).as(name).containsExactly(tensor.shape());
            // Compared as bits: equal floats, not merely close ones.
            assertThat(actual.get(name).values()).as(name).usingElementComparator(TorchCheckpointTest::compareBits)
                    .containsExactly(tensor.values());
        });
    }

    private static int compareBits(Float a, Float b) {
        return Integer.compare(Float.floatToRawIntBits(a), Float.floatToRawIntBits(b));
    }

    @Test
    void readsAPickleOfProtocol4WithFramesAndStackGlobals() throws IOException {
        assertLinear(TorchCheckpoint.read(TorchSave.zip(LINEAR, 4), "pytorch_model.bin"));
    }

    @Test
    void readsFloat16Exactly() throws IOException {
        // 1, -2, 65504 (the largest half), 2^-24 (the smallest subnormal), -2^-14, 0.333251953125
        short[] halves = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, (short) 0x8400, 0x3555};
        byte[] file = TorchSave.zip(List.of(TorchSave.float16("norm.weight", new long[] {3, 2}, halves)));

        SafeTensors.Tensor tensor = TorchCheckpoint.read(file, "pytorch_model.bin").get("norm.weight");

        assertThat(tensor.shape()).containsExactly(3, 2);
        assertThat(tensor.values()).containsExactly(1f, -2f, 65504f, 0x1p-24f, -0x1p-14f, 0.333251953125f);
    }

    @Test
    void readsAParameterRebuiltWithADtypeOverUntypedBytes() throws IOException {
        // torch.save({'w': nn.Parameter(...)}) where the tensor is rebuilt by _rebuild_tensor_v3 from an
        // UntypedStorage (its size in bytes) and the dtype torch.float16.
        TorchSave.Pickler p = new TorchSave.Pickler(2);
        p.emptyDict();
        p.setItems(List.of(() -> p.string("w"), () -> {
            p.global("torch._utils", "_rebuild_parameter");
            p.tuple(() -> {
                p.global("torch._utils", "_rebuild_tensor_v3");
                p.tuple(() -> {
                    p.tuple(() -> p.string("storage"), () -> p.global("torch.storage", "UntypedStorage"),
                            () -> p.string("0"), () -> p.string("cpu"), () -> p.integer(6));
                    p.op('Q');
                }, () -> p.integer(1), () -> p.tuple(() -> p.integer(2)), () -> p.tuple(() -> p.integer(1)),
                        () -> p.op(0x89), () -> emptyOrderedDict(p), () -> p.global("torch", "float16"));
                p.op('R').memoize();
            }, () -> p.op(0x88), () -> emptyOrderedDict(p));
            p.op('R').memoize();
        }));
        byte[] storage = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x7c00).putShort((short) 0x3800).putShort((short) 0xbc00).array();

        SafeTensors.Tensor w = TorchCheckpoint.read(TorchSave.zip(p.finish(), List.of(storage)), "w.pt").get("w");

        assertThat(w.shape()).containsExactly(2);
        assertThat(w.values()).containsExactly(0.5f, -1f);
    }

    private static void emptyOrderedDict(TorchSave.Pickler p) {
        p.global("collections", "OrderedDict");
        p.op(')').op('R').memoize();
    }

    @ParameterizedTest
    @ValueSource(strings = {"os.system", "builtins.eval", "subprocess.Popen", "torch.storage._load_from_bytes"})
    void aGlobalOutsideTheAllowListIsRefusedAndNothingRuns(String global) throws IOException {
        Path marker = temp.resolve("ran");
        int dot = global.lastIndexOf('.');
        for (int protocol : new int[] {2, 4}) {
            TorchSave.Pickler p = new TorchSave.Pickler(protocol);
            p.global(global.substring(0, dot), global.substring(dot + 1));
            p.tuple(() -> p.string("touch " + marker));
            p.op('R');
            byte[] file = TorchSave.zip(p.finish(), List.of());

            assertThatThrownBy(() -> TorchCheckpoint.read(file, "/models/2_Dense/pytorch_model.bin"))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("/models/2_Dense/pytorch_model.bin (pytorch_model/data.pkl): ")
                    .hasMessageContaining("global '" + global + "'")
                    .hasMessageContaining("does not allow");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void aStorageTypeThatIsNotFloatIsRefusedByName() {
        TorchSave.Entry ints = new TorchSave.Entry("position_ids", "LongStorage", new byte[16], 2, 0, new long[] {2}, new long[] {1});

        assertThatThrownBy(() -> TorchCheckpoint.read(TorchSave.zip(List.of(ints)), "pytorch_model.bin"))
                .hasMessageContaining("global 'torch.LongStorage'");
    }

    @Test
    void aNonContiguousTensorIsRefused() throws IOException {
        TorchSave.Entry transposed = LINEAR.get(0).withStride(1, 2);
        TorchSave.Entry row = TorchSave.float32("row", new long[] {1, 3}, new float[] {1, 2, 3}).withStride(99, 1);

        assertThatThrownBy(() -> TorchCheckpoint.read(TorchSave.zip(List.of(transposed)), "pytorch_model.bin"))
                .hasMessageStartingWith("pytorch_model.bin tensor 'linear.weight': strides [1, 2] for shape [2, 3] are not contiguous");
        // A dimension of size one may have any stride: the tensor is still contiguous.
        assertThat(TorchCheckpoint.read(TorchSave.zip(List.of(row)), "pytorch_model.bin").get("row").values())
                .containsExactly(1, 2, 3);
    }

    @Test
    void aTruncatedFileIsNamed() {
        byte[] zip = TorchSave.zip(LINEAR);
        byte[] legacy = TorchSave.legacy(LINEAR);

        assertThatThrownBy(() -> TorchCheckpoint.read(Arrays.copyOf(zip, zip.length / 2), "cut.bin"))
                .isInstanceOf(IOException.class)
                .hasMessage("cut.bin: a zip archive without its central directory; the file is truncated or damaged");
        assertThatThrownBy(() -> TorchCheckpoint.read(Arrays.copyOf(legacy, legacy.length - 5), "cut.bin"))
                .hasMessage("cut.bin: storage '94420000048000' runs past the end of the file; the file is truncated");
        assertThatThrownBy(() -> TorchCheckpoint.read(Arrays.copyOf(legacy, 200), "cut.bin"))
                .hasMessageStartingWith("cut.bin: the pickle ends early; the file is truncated");
    }

    @Test
    void aDamagedOrForeignFileIsNamed() throws IOException {
        byte[] zip = TorchSave.zip(LINEAR);
        zip[StoredZip.entries(ByteBuffer.wrap(zip), "").get("pytorch_model/data/0").arrayOffset() + 5] ^= 1;

        assertThatThrownBy(() -> TorchCheckpoint.read(zip, "bad.bin"))
                .hasMessage("bad.bin: zip entry pytorch_model/data/0: its bytes do not match their CRC; the file is damaged");
        assertThatThrownBy(() -> TorchCheckpoint.read("pickle".getBytes(StandardCharsets.US_ASCII), "text.bin"))
                .hasMessageStartingWith("text.bin: not a PyTorch checkpoint");
        assertThatThrownBy(() -> TorchCheckpoint.read(new byte[] {(byte) 0x80, 2, 'K', 7, '.'}, "seven.pkl"))
                .hasMessageStartingWith("seven.pkl: a pickle, but not torch.save's");
    }

    /** The files written here for the error cases above are laid out as the real torch.save lays out its own. */
    @Test
    void theFixtureWriterLaysOutTheZipAsTheRealTorchSaveDoes() throws IOException {
        Path real = Shared.path("fixtures/st6/models-bin/bert-cls-dense-lower/2_Dense/pytorch_model.bin");
        Map<String, ByteBuffer> torch = StoredZip.entries(ByteBuffer.wrap(Files.readAllBytes(real)), real.toString());
        Map<String, ByteBuffer> written = StoredZip.entries(ByteBuffer.wrap(TorchSave.zip(LINEAR)), "pytorch_model.bin");

        assertThat(written.keySet()).isEqualTo(torch.keySet());
        // Each record's data starts on a 64-byte boundary, so torch can map storages in place.
        assertThat(torch.values()).allSatisfy(data -> assertThat(data.arrayOffset() % 64).isZero());
        assertThat(written.values()).allSatisfy(data -> assertThat(data.arrayOffset() % 64).isZero());
    }
}
