package dev.sentence4j.graph;

/**
 * A weight matrix quantized to int8 for ONNX Runtime's DynamicQuantizeMatMul: symmetric, one scale per
 * output column (zero point 0), laid out {@code [in, out]} as the product {@code x · Wᵀ} takes it.
 * Activations are quantized at run time by the operator itself, to uint8.
 *
 * <p>Weights keep to 7 bits (-63 to 63), as ONNX Runtime's {@code reduce_range} does: on x86 processors
 * without VNNI its uint8 × int8 kernel adds pairs of products into 16 bits, which saturate once
 * 255 × 127 × 2 exceeds 32,767; vectors then drift far from float32 (cosine 0.78 at worst on an AVX2
 * EPYC against 0.9999 at 7 bits). One range everywhere keeps a built graph the same on every machine.
 *
 * @param values {@code [in, out]} row-major
 * @param scales one per output column
 */
record Int8Weights(byte[] values, float[] scales) {
    /** The largest quantized magnitude: 7 bits. */
    private static final int LEVELS = 63;

    /** Quantizes a torch Linear weight {@code [out, in]}. */
    static Int8Weights perColumn(float[] weight, int out, int in) {
        byte[] values = new byte[out * in];
        float[] scales = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int i = 0; i < in; i++) {
                max = Math.max(max, Math.abs(weight[o * in + i]));
            }
            float scale = max == 0 ? 1 : max / LEVELS;
            scales[o] = scale;
            for (int i = 0; i < in; i++) {
                values[i * out + o] = (byte) Math.max(-LEVELS, Math.min(LEVELS, Math.round(weight[o * in + i] / scale)));
            }
        }
        return new Int8Weights(values, scales);
    }
}
