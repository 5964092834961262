package dev.sentence4j.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.weights.SafeTensors;
import java.util.Map;

/**
 * A Qwen2/Qwen3 decoder's forward pass in float64, written from transformers' modeling code for the
 * tests, sharing nothing with the graph builder: RMSNorm, causal grouped-query attention over the
 * unmasked keys with rotary positions counted from the first column, SwiGLU. Tensor names without the
 * {@code model.} prefix are looked up with it too.
 */
final class ReferenceDecoder {
    private final Map<String, SafeTensors.Tensor> tensors;
    private final int hidden;
    private final int heads;
    private final int kvHeads;
    private final int size;
    private final int layers;
    private final double eps;
    private final double theta;
    private final boolean queryKeyNorm;
    private final boolean projectionBias;

    ReferenceDecoder(Map<String, SafeTensors.Tensor> tensors, JsonNode config) {
        this.tensors = tensors;
        this.hidden = config.get("hidden_size").asInt();
        this.heads = config.get("num_attention_heads").asInt();
        this.kvHeads = config.path("num_key_value_heads").asInt(heads);
        this.size = config.path("head_dim").asInt(hidden / heads);
        this.layers = config.get("num_hidden_layers").asInt();
        this.eps = config.path("rms_norm_eps").asDouble(1e-6);
        this.theta = config.path("rope_parameters").path("rope_theta").asDouble(config.path("rope_theta").asDouble(10000));
        this.queryKeyNorm = config.get("model_type").asText().equals("qwen3");
        this.projectionBias = !queryKeyNorm;
    }

    /** The final (normed) hidden state at every column of one row {@code [S][hidden]}. */
    double[][] hiddenStates(long[] ids, long[] mask) {
        int length = ids.length;
        float[] embeddings = weight("embed_tokens.weight").values();
        double[][] x = new double[length][];
        for (int t = 0; t < length; t++) {
            x[t] = Float64.row(embeddings, (int) ids[t], hidden);
        }
        for (int l = 0; l < layers; l++) {
            String layer = "layers." + l + ".";
            double[][][] q = new double[length][][];
            double[][][] k = new double[length][][];
            double[][][] v = new double[length][][];
            for (int t = 0; t < length; t++) {
                double[] normed = Float64.rmsNorm(x[t], weight(layer + "input_layernorm.weight").values(), eps);
                q[t] = rotate(norm(split(linear(layer + "self_attn.q_proj", normed, projectionBias), heads), layer + "self_attn.q_norm"), t);
                k[t] = rotate(norm(split(linear(layer + "self_attn.k_proj", normed, projectionBias), kvHeads), layer + "self_attn.k_norm"), t);
                v[t] = split(linear(layer + "self_attn.v_proj", normed, projectionBias), kvHeads);
            }
            double[][] next = new double[length][];
            for (int t = 0; t < length; t++) {
                double[] context = new double[heads * size];
                for (int h = 0; h < heads; h++) {
                    int kv = h / (heads / kvHeads);
                    double[] scores = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        if (mask[j] == 0) {
                            scores[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int d = 0; d < size; d++) {
                            dot += q[t][h][d] * k[j][kv][d];
                        }
                        scores[j] = dot / Math.sqrt(size);
                        max = Math.max(max, scores[j]);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int d = 0; d < size; d++) {
                            context[h * size + d] += scores[j] / sum * v[j][kv][d];
                        }
                    }
                }
                double[] attended = Float64.add(x[t], linear(layer + "self_attn.o_proj", context, false));
                double[] mlpIn = Float64.rmsNorm(attended, weight(layer + "post_attention_layernorm.weight").values(), eps);
                double[] gate = Float64.map(linear(layer + "mlp.gate_proj", mlpIn, false), Float64::silu);
                double[] up = linear(layer + "mlp.up_proj", mlpIn, false);
                for (int i = 0; i < gate.length; i++) {
                    gate[i] *= up[i];
                }
                next[t] = Float64.add(attended, linear(layer + "mlp.down_proj", gate, false));
            }
            x = next;
        }
        double[][] out = new double[length][];
        for (int t = 0; t < length; t++) {
            out[t] = Float64.rmsNorm(x[t], weight("norm.weight").values(), eps);
        }
        return out;
    }

    private double[] linear(String prefix, double[] x, boolean bias) {
        String name = tensors.containsKey(prefix + ".weight") ? prefix : "model." + prefix;
        return Float64.linear(tensors, name, x, bias);
    }

    private SafeTensors.Tensor weight(String name) {
        return tensors.containsKey(name) ? tensors.get(name) : Float64.tensor(tensors, "model." + name);
    }

    private double[][] split(double[] x, int count) {
        double[][] parts = new double[count][size];
        for (int h = 0; h < count; h++) {
            System.arraycopy(x, h * size, parts[h], 0, size);
        }
        return parts;
    }

    private double[][] norm(double[][] parts, String prefix) {
        if (!queryKeyNorm) {
            return parts;
        }
        double[][] normed = new double[parts.length][];
        for (int h = 0; h < parts.length; h++) {
            normed[h] = Float64.rmsNorm(parts[h], weight(prefix + ".weight").values(), eps);
        }
        return normed;
    }

    /** Rotate-half rotary embedding at position {@code p}, frequencies {@code theta^(-2i/size)}. */
    private double[][] rotate(double[][] parts, int p) {
        int half = size / 2;
        double[][] rotated = new double[parts.length][size];
        for (int h = 0; h < parts.length; h++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(theta, -2.0 * i / size);
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                rotated[h][i] = parts[h][i] * cos - parts[h][i + half] * sin;
                rotated[h][i + half] = parts[h][i + half] * cos + parts[h][i] * sin;
            }
        }
        return rotated;
    }
}
