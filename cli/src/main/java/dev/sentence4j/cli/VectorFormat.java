package dev.sentence4j.cli;

import dev.sentence4j.io.Npy;
import dev.sentence4j.quantize.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** The file formats {@code encode} writes, told apart by the output file's extension. */
enum VectorFormat {
    /** A NumPy {@code .npy} float32 matrix, one row per vector. */
    NPY(".npy") {
        @Override
        VectorWriter open(Path file, int count, int dimension, Precision precision) throws IOException {
            Npy.DType type = precision == Precision.FLOAT32 ? Npy.DType.FLOAT32
                    : precision.unsigned() ? Npy.DType.UINT8 : Npy.DType.INT8;
            Npy.Writer npy = Npy.Writer.open(file, count, dimension, type);
            return new VectorWriter() {
                @Override
                public void write(float[] vector) throws IOException {
                    npy.write(vector);
                }

                @Override
                public void write(byte[] vector) throws IOException {
                    npy.write(vector);
                }

                @Override
                public void close() throws IOException {
                    npy.close();
                }
            };
        }
    },
    /** JSON lines: one {@code {"index":i,"embedding":[...]}} object per line. */
    JSONL(".jsonl") {
        @Override
        VectorWriter open(Path file, int count, int dimension, Precision precision) throws IOException {
            return JsonLinesWriter.open(file, precision.unsigned());
        }
    };

    private final String extension;

    VectorFormat(String extension) {
        this.extension = extension;
    }

    /**
     * The format an output file's extension asks for, in any letter case.
     *
     * @throws CliException naming the extension when it is none of the formats'
     */
    static VectorFormat of(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(format -> lower.endsWith(format.extension)).findFirst()
                .orElseThrow(() -> new CliException("cannot write " + file + ": "
                        + (name.contains(".") ? "extension '" + name.substring(name.lastIndexOf('.')) + "'" : "no extension")
                        + " is not a format encode writes; use .npy (NumPy float32 matrix) or .jsonl (JSON lines)"));
    }

    /** Creates (or replaces) the file, ready for {@code count} vectors of {@code dimension} values of a precision. */
    abstract VectorWriter open(Path file, int count, int dimension, Precision precision) throws IOException;
}
