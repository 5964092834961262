package dev.sentence4j.graph;

import dev.sentence4j.weights.SafeTensors;
import java.util.Map;

/**
 * The arithmetic of the tests' float64 forward passes, written plainly and independently of the graph
 * builder: vectors are {@code double[]}, a torch Linear's weight is {@code [out, in]} row-major.
 */
final class Float64 {
    private Float64() {}

    /** {@code W x + b} for a torch Linear named {@code prefix} ({@code prefix.bias} when {@code bias}). */
    static double[] linear(Map<String, SafeTensors.Tensor> tensors, String prefix, double[] x, boolean bias) {
        SafeTensors.Tensor weight = tensor(tensors, prefix + ".weight");
        int out = (int) weight.shape()[0];
        int in = (int) weight.shape()[1];
        if (in != x.length) {
            throw new IllegalArgumentException(prefix + " takes " + in + " values, got " + x.length);
        }
        double[] y = new double[out];
        float[] w = weight.values();
        float[] b = bias ? tensor(tensors, prefix + ".bias").values() : null;
        for (int o = 0; o < out; o++) {
            double sum = b == null ? 0 : b[o];
            for (int i = 0; i < in; i++) {
                sum += w[o * in + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    static SafeTensors.Tensor tensor(Map<String, SafeTensors.Tensor> tensors, String name) {
        SafeTensors.Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return tensor;
    }

    /** LayerNorm with {@code weight} and, when not null, {@code bias}. */
    static double[] layerNorm(double[] x, float[] weight, float[] bias, double eps) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double variance = 0;
        for (double v : x) {
            variance += (v - mean) * (v - mean);
        }
        variance /= x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / Math.sqrt(variance + eps) * weight[i] + (bias == null ? 0 : bias[i]);
        }
        return y;
    }

    /** RMSNorm: {@code x / sqrt(mean(x²) + eps) · weight}. */
    static double[] rmsNorm(double[] x, float[] weight, double eps) {
        double squares = 0;
        for (double v : x) {
            squares += v * v;
        }
        double scale = 1 / Math.sqrt(squares / x.length + eps);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * scale * weight[i];
        }
        return y;
    }

    static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    /** GELU as torch computes it exactly: {@code x Φ(x)}, Φ by the error function. */
    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    /** The error function by its Taylor series (|x| < 3) or continued fraction: accurate to about 1e-13. */
    static double erf(double x) {
        double a = Math.abs(x);
        double result;
        if (a < 3) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double fraction = 0;
            for (int n = 60; n >= 1; n--) {
                fraction = n / 2.0 / (a + fraction);
            }
            result = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + fraction);
        }
        return x < 0 ? -result : result;
    }

    static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    static double[] row(float[] values, int row, int width) {
        double[] y = new double[width];
        for (int i = 0; i < width; i++) {
            y[i] = values[row * width + i];
        }
        return y;
    }
}
