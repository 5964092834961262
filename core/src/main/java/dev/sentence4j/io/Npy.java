package dev.sentence4j.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} version 1.0 files of 2-D matrices in C order, one row per vector: little-endian
 * float32 ({@code <f4}) or, for quantized vectors, bytes ({@code |i1}, {@code |u1}); and 1-D int64
 * ({@code <i8}) offsets, which say where each text's rows of a multi-vector matrix start.
 */
public final class Npy {
    /** The element types sentence4j writes. */
    public enum DType {
        /** Little-endian 32-bit float. */
        FLOAT32("<f4", Float.BYTES),
        /** Signed byte. */
        INT8("|i1", 1),
        /** Unsigned byte. */
        UINT8("|u1", 1);

        private final String descr;
        private final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        /** The {@code descr} NumPy writes in the header. */
        public String descr() {
            return descr;
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Writes a 1-D little-endian int64 ({@code <i8}) array, as offsets into a matrix: text {@code i}'s rows of
     * a multi-vector model's token matrix are {@code offsets[i]} to {@code offsets[i + 1]}.
     */
    public static void write(Path file, long[] values) throws IOException {
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        ByteBuffer data = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asLongBuffer().put(values);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(header(dict, 0));
            out.write(data.array());
        }
    }

    /** The header of a dictionary, padded with spaces to a multiple of 64 bytes and at least {@code atLeast}. */
    private static byte[] header(String dict, int atLeast) {
        int prefix = MAGIC.length + 4;
        int total = prefix + dict.length() + 1;
        int padded = Math.max(atLeast, (total + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
        String text = dict + " ".repeat(padded - total) + '\n';
        ByteBuffer bytes = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        bytes.put(text.getBytes(StandardCharsets.US_ASCII));
        return bytes.array();
    }

    /** Writes a matrix whose rows all have the same length. */
    public static void write(Path file, float[][] rows) throws IOException {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        try (Writer writer = Writer.open(file, rows.length, columns)) {
            for (float[] row : rows) {
                writer.write(row);
            }
        }
    }

    /**
     * Reads a 2-D {@code <f4} matrix.
     *
     * @throws IOException naming the file if it is not such a matrix
     */
    public static float[][] read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int[] shape = readHeader(in, file, DType.FLOAT32);
            float[][] rows = new float[shape[0]][shape[1]];
            byte[] bytes = new byte[shape[1] * Float.BYTES];
            for (float[] row : rows) {
                in.readFully(bytes);
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(row);
            }
            return rows;
        } catch (EOFException e) {
            throw new IOException(file + ": ends before the data its header announces", e);
        }
    }

    /**
     * Reads a 2-D byte matrix of the given type ({@link DType#INT8} or {@link DType#UINT8}).
     *
     * @throws IOException naming the file if it is not such a matrix
     */
    public static byte[][] readBytes(Path file, DType type) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int[] shape = readHeader(in, file, type);
            byte[][] rows = new byte[shape[0]][shape[1]];
            for (byte[] row : rows) {
                in.readFully(row);
            }
            return rows;
        } catch (EOFException e) {
            throw new IOException(file + ": ends before the data its header announces", e);
        }
    }

    /** Reads the header of a C-order 2-D matrix of the expected type; returns its shape. */
    private static int[] readHeader(DataInputStream in, Path file, DType expected) throws IOException {
        String header = readHeader(in, file);
        String descr = field(DESCR, header, file, "descr");
        if (!descr.equals(expected.descr)) {
            throw new IOException(file + ": holds '" + descr + "' values, expected '" + expected.descr + "'");
        }
        if (field(FORTRAN, header, file, "fortran_order").equals("True")) {
            throw new IOException(file + ": is in Fortran order; only C order is read");
        }
        int[] shape = Arrays.stream(field(SHAPE, header, file, "shape").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        if (shape.length != 2) {
            throw new IOException(file + ": has shape " + Arrays.toString(shape) + "; only 2-D matrices are read");
        }
        return shape;
    }

    private static String readHeader(DataInputStream in, Path file) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(file + ": is not a .npy file (bad magic bytes)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int length;
        if (major == 1) {
            length = in.readUnsignedByte() | in.readUnsignedByte() << 8;
        } else if (major == 2 || major == 3) {
            length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16
                    | in.readUnsignedByte() << 24;
        } else {
            throw new IOException(file + ": .npy version " + major + " is not supported");
        }
        byte[] header = new byte[length];
        in.readFully(header);
        return new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static String field(Pattern pattern, String header, Path file, String name) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": .npy header has no '" + name + "': " + header.trim());
        }
        return m.group(1);
    }

    /** Streams a matrix to a file row by row; the row count is fixed up front, as the header needs it. */
    public static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final Path file;
        /** The rows the header announces, or -1 when it announces them only once closed. */
        private final long rows;
        private final int columns;
        private final DType type;
        private final ByteBuffer buffer;
        private long written;

        private Writer(OutputStream out, Path file, long rows, int columns, DType type) {
            this.out = out;
            this.file = file;
            this.rows = rows;
            this.columns = columns;
            this.type = type;
            this.buffer = ByteBuffer.allocate(columns * type.size).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Creates (or replaces) the file and writes its header for a float32 {@code [rows, columns]} matrix. */
        public static Writer open(Path file, long rows, int columns) throws IOException {
            return open(file, rows, columns, DType.FLOAT32);
        }

        /** Creates (or replaces) the file and writes its header for a {@code [rows, columns]} matrix of a type. */
        public static Writer open(Path file, long rows, int columns, DType type) throws IOException {
            return open(file, rows, columns, type, header(rows, columns, type));
        }

        /**
         * Creates (or replaces) the file for a float32 matrix of {@code columns} columns whose row count is
         * known only at the end, such as the token vectors of many texts: the header leaves room for any
         * count and is written again with the rows written when the writer is closed.
         */
        public static Writer openGrowing(Path file, int columns) throws IOException {
            return open(file, -1, columns, DType.FLOAT32, header(Long.MAX_VALUE, columns, DType.FLOAT32));
        }

        private static Writer open(Path file, long rows, int columns, DType type, byte[] header) throws IOException {
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            try {
                out.write(header);
            } catch (IOException e) {
                out.close();
                throw e;
            }
            return new Writer(out, file, rows, columns, type);
        }

        private static byte[] header(long rows, int columns, DType type) {
            return header(rows, columns, type, 0);
        }

        private static byte[] header(long rows, int columns, DType type, int atLeast) {
            return Npy.header("{'descr': '" + type.descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + columns
                    + "), }", atLeast);
        }

        /** Appends one row of a float32 matrix. */
        public void write(float[] row) throws IOException {
            checkRow(row.length, DType.FLOAT32);
            buffer.clear();
            buffer.asFloatBuffer().put(row);
            out.write(buffer.array());
            written++;
        }

        /** Appends one row of a byte matrix. */
        public void write(byte[] row) throws IOException {
            checkRow(row.length, type == DType.FLOAT32 ? DType.INT8 : type);
            out.write(row);
            written++;
        }

        private void checkRow(int length, DType rowType) {
            if (rowType != type) {
                throw new IllegalArgumentException("this matrix holds " + type.descr + " values, not " + rowType.descr);
            }
            if (length != columns) {
                throw new IllegalArgumentException("row has " + length + " values, the matrix " + columns);
            }
            if (written == rows) {
                throw new IllegalStateException(file + ": all " + rows + " rows are already written");
            }
        }

        /** Closes the file; fails if fewer rows were written than the header announces. */
        @Override
        public void close() throws IOException {
            out.close();
            if (rows < 0) {
                byte[] reserved = header(Long.MAX_VALUE, columns, type);
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(header(written, columns, type, reserved.length)), 0);
                }
                return;
            }
            if (written != rows) {
                throw new IOException(file + ": " + written + " of " + rows + " rows written; the file is incomplete");
            }
        }
    }
}
