package dev.sentence4j.graph;

/**
 * A weight matrix quantized to int8 for ONNX Runtime's DynamicQuantizeMatMul: symmetric, one scale per
 * output column (zero point 0), laid out {@code [in, out]} as the product {@code x · Wᵀ} takes it.
 * Activations are quantized at run time by the operator itself.
 *
 * @param values {@code [in, out]} row-major
 * @param scales one per output column
 */
record Int8Weights(byte[] values, float[] scales) {
    /** Quantizes a torch Linear weight {@code [out, in]}. */
    static Int8Weights perColumn(float[] weight, int out, int in) {
        byte[] values = new byte[out * in];
        float[] scales = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int i = 0; i < in; i++) {
                max = Math.max(max, Math.abs(weight[o * in + i]));
            }
            float scale = max == 0 ? 1 : max / 127f;
            scales[o] = scale;
            for (int i = 0; i < in; i++) {
                values[i * out + o] = (byte) Math.max(-127, Math.min(127, Math.round(weight[o * in + i] / scale)));
            }
        }
        return new Int8Weights(values, scales);
    }
}
