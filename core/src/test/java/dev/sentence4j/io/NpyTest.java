package dev.sentence4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.Shared;
import dev.sentence4j.layer.Normalize;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path temp;

    @Test
    void writesWhatNumpyLoads() throws IOException {
        Path file = temp.resolve("m.npy");
        float[][] rows = {{1.5f, -2f, 3.25f}, {0f, Float.MIN_VALUE, 1e30f}};

        Npy.write(file, rows);

        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(Arrays.copyOf(bytes, 8)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }").endsWith("\n");
        assertThat((10 + headerLength) % 64).isZero();
        assertThat(bytes).hasSize(10 + headerLength + 2 * 3 * 4);
        assertThat(Npy.read(file)).isDeepEqualTo(rows);
    }

    @Test
    void writesQuantizedBytes() throws IOException {
        Path file = temp.resolve("q.npy");
        try (Npy.Writer writer = Npy.Writer.open(file, 2, 2, Npy.DType.UINT8)) {
            writer.write(new byte[] {(byte) 255, 0});
            writer.write(new byte[] {1, 2});
        }

        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).contains("'descr': '|u1'");
        assertThat(Npy.readBytes(file, Npy.DType.UINT8)).isDeepEqualTo(new byte[][] {{(byte) 255, 0}, {1, 2}});
        assertThatThrownBy(() -> Npy.read(file)).hasMessageContaining("holds '|u1' values, expected '<f4'");
    }

    @Test
    void readsTheReferenceFiles() throws IOException {
        Path file = Shared.path("reference/stsb-dev-sample.all-MiniLM-L6-v2.npy");

        float[][] rows = Npy.read(file);

        assertThat(rows).hasDimensions(200, 384);
        // The reference vectors were normalized: a misread byte order or offset breaks every norm.
        for (int i = 0; i < rows.length; i++) {
            assertThat(Normalize.norm(rows[i])).as("norm of row %d", i).isCloseTo(1.0, within(1e-6));
        }
        assertThat(rows).isDeepEqualTo(readPlainly(file, 200, 384));
    }

    /** A second reader: the float32 values after the version 1.0 header, little-endian, row after row. */
    private static float[][] readPlainly(Path file, int rows, int columns) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(bytes.getShort(8));
        assertThat(new String(bytes.array(), 10, headerLength, StandardCharsets.US_ASCII))
                .contains("'descr': '<f4'", "'fortran_order': False", "'shape': (" + rows + ", " + columns + ")");
        FloatBuffer values = bytes.position(10 + headerLength).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertThat(values.remaining()).isEqualTo(rows * columns);
        float[][] out = new float[rows][columns];
        for (float[] row : out) {
            values.get(row);
        }
        return out;
    }

    @Test
    void aWriterThatStopsShortSaysTheFileIsIncomplete() throws IOException {
        Path file = temp.resolve("short.npy");
        Npy.Writer writer = Npy.Writer.open(file, 2, 1);
        writer.write(new float[] {1});

        assertThatThrownBy(writer::close).hasMessage(file + ": 1 of 2 rows written; the file is incomplete");
    }

    @Test
    void refusesWhatItCannotRead() throws IOException {
        Path text = Files.writeString(temp.resolve("x.npy"), "hello, world");

        assertThatThrownBy(() -> Npy.read(text)).hasMessage(text + ": is not a .npy file (bad magic bytes)");
    }

    @Test
    void aGrowingMatrixAnnouncesTheRowsWrittenOnceClosed() throws IOException {
        Path file = temp.resolve("tokens.npy");
        try (Npy.Writer writer = Npy.Writer.openGrowing(file, 2)) {
            for (int i = 0; i < 5; i++) {
                writer.write(new float[] {i, -i});
            }
        }
        float[][] read = Npy.read(file);
        assertThat(read).hasNumberOfRows(5);
        assertThat(read[4]).containsExactly(4f, -4f);
        String header = new String(Files.readAllBytes(file), 10, 100, StandardCharsets.US_ASCII);
        assertThat(header).contains("'shape': (5, 2)");
        assertThat((Files.size(file) - 5 * 2 * 4) % 64).isZero();
    }

    @Test
    void offsetsAreOneDimensionalInt64() throws IOException {
        Path file = temp.resolve("offsets.npy");
        Npy.write(file, new long[] {0, 3, 3, 10});
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).contains("'descr': '<i8'").contains("'shape': (4,)").endsWith("\n");
        assertThat((10 + headerLength) % 64).isZero();
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, 32).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new long[] {data.getLong(), data.getLong(), data.getLong(), data.getLong()}).containsExactly(0, 3, 3, 10);
    }
}
