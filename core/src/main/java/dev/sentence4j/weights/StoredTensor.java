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

    /**
     * Refuses a tensor holding a NaN or infinite value: a model computes nothing useful from it, and
     * every vector it gives would be NaN.
     *
     * @param where the file and tensor, for the message
     * @throws IllegalArgumentException naming them and the first such value
     */
    public void requireFinite(String where) {
        long at = encoding.firstNonFinite(data, count());
        if (at >= 0) {
            float value = encoding.read(data, Math.toIntExact(at * encoding.width()), 1)[0];
            throw nonFinite(where, value, at, shape);
        }
    }

    static IllegalArgumentException nonFinite(String where, float value, long at, long[] shape) {
        return new IllegalArgumentException(where + " holds " + (Float.isNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity")
                + " (value " + at + " of " + count(shape) + ", shape " + Arrays.toString(shape)
                + "); the weights are damaged, or were saved after training diverged");
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
