package dev.sentence4j.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor as a weight file stores it: its shape, its float encoding and a view of its little-endian
 * bytes, which for a memory-mapped file are the file's own pages rather than a copy.
 *
 * @param shape its dimensions
 * @param encoding how each value is stored
 * @param data exactly the tensor's bytes, little-endian, position 0
 */
public record StoredTensor(long[] shape, FloatEncoding encoding, ByteBuffer data) {
    public StoredTensor {
        shape = shape.clone();
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (count(shape) * encoding.width() != data.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + encoding + " needs "
                    + count(shape) * encoding.width() + " bytes, got " + data.remaining());
        }
    }

    /** How many values the tensor holds. */
    public long count() {
        return count(shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The bytes, as a fresh view (reading it leaves the tensor as it was). */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values as float32, copied onto the heap. */
    public float[] floats() {
        return encoding.read(data, 0, Math.toIntExact(count()));
    }

    private static long count(long[] shape) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        return count;
    }
}
