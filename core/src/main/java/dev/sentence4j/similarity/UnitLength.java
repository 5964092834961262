package dev.sentence4j.similarity;

/**
 * The L2 norm and vectors scaled to length 1, as PyTorch's {@code F.normalize(p=2)}: the one place
 * sentence4j normalizes (the Normalize module, chunked texts, truncated vectors and cosine use it). A
 * zero vector stays zero.
 */
public final class UnitLength {
    private static final double EPSILON = 1e-12;

    private UnitLength() {}

    /** The vector scaled to length 1 (a new array). */
    public static float[] of(float[] vector) {
        double norm = Math.max(norm(vector), EPSILON);
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }

    /** The L2 norm of a vector. */
    public static double norm(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }
}
