package dev.sentence4j.quantize;

/**
 * Turns float vectors into bytes as sentence-transformers' {@code quantize_embeddings} does. For int8
 * and uint8 each dimension's range comes from calibration vectors when given, else from the vectors
 * themselves; values outside the range are clamped to it (NumPy would wrap them around).
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * Quantizes vectors; {@code calibration} may be {@code null}. Unsigned results are held in Java's
     * signed bytes: read them with {@code b & 0xff}.
     *
     * @throws IllegalArgumentException for {@link Precision#FLOAT32}, which has no byte form, or ragged input
     */
    public static byte[][] quantize(float[][] vectors, Precision precision, float[][] calibration) {
        switch (precision) {
            case INT8:
            case UINT8:
                return scaled(vectors, calibration == null ? vectors : calibration, precision == Precision.INT8);
            case BINARY:
            case UBINARY:
                return packed(vectors, precision == Precision.BINARY);
            default:
                throw new IllegalArgumentException("float32 vectors are not quantized");
        }
    }

    private static byte[][] scaled(float[][] vectors, float[][] calibration, boolean signed) {
        if (calibration.length == 0) {
            return new byte[0][];
        }
        int dimension = calibration[0].length;
        float[] starts = new float[dimension];
        float[] steps = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float[] row : calibration) {
                min = Math.min(min, row[d]);
                max = Math.max(max, row[d]);
            }
            starts[d] = min;
            // float arithmetic throughout, as NumPy's float32, so boundary values round the same way.
            steps[d] = (max - min) / 255f;
        }
        byte[][] out = new byte[vectors.length][dimension];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != dimension) {
                throw new IllegalArgumentException("vector " + i + " has " + vectors[i].length + " values, expected " + dimension);
            }
            for (int d = 0; d < dimension; d++) {
                float level = steps[d] == 0 ? 0 : Math.min(255f, Math.max(0f, (vectors[i][d] - starts[d]) / steps[d]));
                out[i][d] = (byte) (signed ? (int) (level - 128f) : (int) level);
            }
        }
        return out;
    }

    private static byte[][] packed(float[][] vectors, boolean signed) {
        byte[][] out = new byte[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            byte[] bits = new byte[(vectors[i].length + 7) / 8];
            for (int d = 0; d < vectors[i].length; d++) {
                if (vectors[i][d] > 0) {
                    bits[d >> 3] |= (byte) (0x80 >>> (d & 7));
                }
            }
            if (signed) {
                for (int b = 0; b < bits.length; b++) {
                    bits[b] = (byte) ((bits[b] & 0xff) - 128);
                }
            }
            out[i] = bits;
        }
        return out;
    }
}
