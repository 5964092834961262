package dev.sentence4j.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * The float encodings weight files hold (named as safetensors names them), each read as float32 from
 * little-endian bytes. Shared by {@link SafeTensors} and {@link TorchCheckpoint}.
 */
public enum FloatEncoding {
    F32(4),
    F16(2),
    BF16(2),
    F64(8);

    private final int width;

    FloatEncoding(int width) {
        this.width = width;
    }

    /** Bytes per value. */
    public int width() {
        return width;
    }

    /** Reads {@code count} values starting at byte {@code at} of a little-endian buffer. */
    float[] read(ByteBuffer littleEndian, int at, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++, at += width) {
            values[i] = switch (this) {
                case F32 -> littleEndian.getFloat(at);
                case F64 -> (float) littleEndian.getDouble(at);
                case F16 -> halfToFloat(littleEndian.getShort(at));
                case BF16 -> Float.intBitsToFloat((littleEndian.getShort(at) & 0xffff) << 16);
            };
        }
        return values;
    }

    /**
     * The position of the first NaN or infinite value among {@code count} values of a little-endian
     * buffer, or -1 when all are finite. Reads the bits only: an exponent of all ones is NaN or infinity
     * in every one of these encodings.
     */
    long firstNonFinite(ByteBuffer littleEndian, long count) {
        ByteBuffer data = littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(count);
        switch (this) {
            case F32 -> {
                IntBuffer bits = data.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    if ((bits.get(i) & 0x7f800000) == 0x7f800000) {
                        return i;
                    }
                }
            }
            case F64 -> {
                LongBuffer bits = data.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    if ((bits.get(i) & 0x7ff0000000000000L) == 0x7ff0000000000000L) {
                        return i;
                    }
                }
            }
            case F16, BF16 -> {
                ShortBuffer bits = data.asShortBuffer();
                int exponent = this == F16 ? 0x7c00 : 0x7f80;
                for (int i = 0; i < n; i++) {
                    if ((bits.get(i) & exponent) == exponent) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** IEEE 754 half precision to float (Java 17 has no {@code Float.float16ToFloat}). */
    private static float halfToFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }
}
