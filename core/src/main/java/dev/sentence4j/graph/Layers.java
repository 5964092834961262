package dev.sentence4j.graph;

import static dev.sentence4j.graph.GraphBuilder.attribute;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.List;

/**
 * The pieces every architecture's graph is made of: linear layers, normalizations, activations,
 * attention, embeddings. Each reads its weights from the checkpoint by Hugging Face name and uses the
 * fused operator ONNX Runtime's CPU provider has for it where one exists (Attention,
 * SkipLayerNormalization, BiasGelu, FastGelu), as ONNX Runtime's own BERT optimizer would emit.
 * With {@code quantized}, every matrix product with a weight becomes an int8 dynamic quantization
 * ({@link Int8Weights}).
 */
final class Layers {
    final GraphBuilder graph;
    final Checkpoint weights;
    private final boolean quantized;
    /** For {@link Head#CAUSAL_LM}: the vocabulary rows the graph computes; empty for all of them. */
    final List<Integer> vocabularyRows;

    Layers(GraphBuilder graph, Checkpoint weights, boolean quantized) {
        this(graph, weights, quantized, List.of());
    }

    Layers(GraphBuilder graph, Checkpoint weights, boolean quantized, List<Integer> vocabularyRows) {
        this.graph = graph;
        this.weights = weights;
        this.quantized = quantized;
        this.vocabularyRows = List.copyOf(vocabularyRows);
    }

    /** {@code x · Wᵀ} for a torch Linear's weight {@code [out, in]} named {@code prefix.weight}; no bias. */
    String product(String x, String prefix, int in, int out) {
        String name = prefix + ".weight";
        if (quantized) {
            Int8Weights q = Int8Weights.perColumn(weights.values(name, out, in), out, in);
            return graph.microsoft("DynamicQuantizeMatMul", List.of(x,
                    graph.computed(name + ".int8", new long[] {in, out}, q.values()),
                    graph.computed(name + ".scale", new long[] {out}, q.scales())));
        }
        return graph.node("MatMul", List.of(x, transposed(weights.weight(graph, name, out, in))));
    }

    /** A torch Linear: {@code x · Wᵀ + b}, the bias when {@code bias} is set. */
    String linear(String x, String prefix, int in, int out, boolean bias) {
        String product = product(x, prefix, in, out);
        return bias ? graph.node("Add", List.of(product, weights.weight(graph, prefix + ".bias", out))) : product;
    }

    /** A linear layer of a head, whose weights carry no base model prefix. */
    String headLinear(String x, String prefix, int in, int out) {
        String product = graph.node("MatMul", List.of(x, transposed(weights.headWeight(graph, prefix + ".weight", out, in))));
        return graph.node("Add", List.of(product, weights.headWeight(graph, prefix + ".bias", out)));
    }

    /** A head's linear layer without bias, such as a decoder's {@code score}. */
    String headProduct(String x, String prefix, int in, int out) {
        return graph.node("MatMul", List.of(x, transposed(weights.headWeight(graph, prefix + ".weight", out, in))));
    }

    String transposed(String matrix) {
        return graph.node("Transpose", List.of(matrix), attribute("perm", 1L, 0L));
    }

    /** LayerNorm over the last axis with {@code prefix.weight} and, when {@code bias}, {@code prefix.bias}. */
    String layerNorm(String x, String prefix, int size, double eps, boolean bias) {
        String scale = weights.weight(graph, prefix + ".weight", size);
        List<String> inputs = bias ? List.of(x, scale, weights.weight(graph, prefix + ".bias", size)) : List.of(x, scale);
        return graph.node("LayerNormalization", inputs, attribute("axis", -1L), attribute("epsilon", (float) eps));
    }

    /** A head's LayerNorm, with weight and bias. */
    String headLayerNorm(String x, String prefix, int size, double eps) {
        return graph.node("LayerNormalization", List.of(x, weights.headWeight(graph, prefix + ".weight", size),
                weights.headWeight(graph, prefix + ".bias", size)), attribute("axis", -1L), attribute("epsilon", (float) eps));
    }

    /** {@code LayerNorm(x + skip + bias)} in one fused operator. */
    String skipLayerNorm(String x, String skip, String biasName, String normPrefix, int size, double eps) {
        return graph.microsoft("SkipLayerNormalization", List.of(x, skip,
                weights.weight(graph, normPrefix + ".weight", size), weights.weight(graph, normPrefix + ".bias", size),
                weights.weight(graph, biasName, size)), attribute("epsilon", (float) eps));
    }

    /**
     * RMSNorm over the last axis: {@code x / sqrt(mean(x²) + eps) · weight}, in ONNX Runtime's fused
     * operator (which it registers in the ONNX domain, not com.microsoft).
     */
    String rmsNorm(String x, String weightName, int size, double eps) {
        return graph.node("SimplifiedLayerNormalization", List.of(x, weights.weight(graph, weightName, size)),
                attribute("axis", -1L), attribute("epsilon", (float) eps));
    }

    /** {@code act(x + bias)}, fused where ONNX Runtime has the pair. */
    String activation(String x, String biasName, int size, Activation activation) {
        String bias = weights.weight(graph, biasName, size);
        return switch (activation) {
            case GELU -> graph.microsoft("BiasGelu", List.of(x, bias));
            case GELU_TANH -> graph.microsoft("FastGelu", List.of(x, bias));
            default -> activation(graph.node("Add", List.of(x, bias)), activation);
        };
    }

    /** {@code act(x)}. */
    String activation(String x, Activation activation) {
        return switch (activation) {
            case GELU -> graph.microsoft("Gelu", List.of(x));
            case GELU_TANH -> graph.microsoft("FastGelu", List.of(x));
            case RELU -> graph.node("Relu", List.of(x));
            case SILU -> graph.node("Mul", List.of(x, graph.node("Sigmoid", List.of(x))));
            case TANH -> graph.node("Tanh", List.of(x));
        };
    }

    /** Rows of an embedding matrix {@code [count, size]} for int64 ids of any shape. */
    String embedding(String ids, String name, int count, int size) {
        return graph.node("Gather", List.of(weights.weight(graph, name, count, size), ids));
    }

    /** The first {@code length} rows of an embedding matrix, {@code length} a one-element int64 tensor. */
    String leadingRows(String name, int count, int size, String length) {
        return graph.node("Slice", List.of(weights.weight(graph, name, count, size), graph.longs(0), length, graph.longs(0)));
    }

    /** The size of axis {@code axis} of {@code x}, as a one-element int64 tensor. */
    String dimension(String x, int axis) {
        return graph.node("Shape", List.of(x), attribute("start", (long) axis), attribute("end", (long) axis + 1));
    }

    /** An int64 tensor cast to int32, as the attention operators take their masks. */
    String int32(String x) {
        return graph.node("Cast", List.of(x), attribute("to", (long) DataType.INT32_VALUE));
    }

    /**
     * Bidirectional multi-head self-attention with its Q, K, V projections (torch Linears with bias) and
     * a key padding mask, in ONNX Runtime's fused Attention operator; an additive bias
     * {@code [1, heads, S, S]} when not {@code null}. The output projection is left to the caller, so
     * it can fuse with the residual's LayerNorm.
     */
    String selfAttention(String x, String mask32, String query, String key, String value, int hidden, int heads,
            String attentionBias) {
        if (quantized) {
            return quantizedSelfAttention(x, mask32, query, key, value, hidden, heads, attentionBias);
        }
        long[] shape = {hidden, hidden};
        String packed = graph.node("Concat", List.of(
                transposed(weights.weight(graph, query + ".weight", shape)),
                transposed(weights.weight(graph, key + ".weight", shape)),
                transposed(weights.weight(graph, value + ".weight", shape))), attribute("axis", 1L));
        String bias = graph.node("Concat", List.of(weights.weight(graph, query + ".bias", hidden),
                weights.weight(graph, key + ".bias", hidden), weights.weight(graph, value + ".bias", hidden)),
                attribute("axis", 0L));
        List<String> inputs = attentionBias == null ? List.of(x, packed, bias, mask32)
                : List.of(x, packed, bias, mask32, "", attentionBias);
        return graph.microsoft("Attention", inputs, attribute("num_heads", (long) heads));
    }

    /**
     * As {@link #selfAttention}, with the Q, K and V projections as one int8 product (the input is
     * quantized once for all three) feeding ONNX Runtime's MultiHeadAttention.
     */
    private String quantizedSelfAttention(String x, String mask32, String query, String key, String value, int hidden,
            int heads, String attentionBias) {
        float[] packed = new float[3 * hidden * hidden];
        float[] bias = new float[3 * hidden];
        List<String> projections = List.of(query, key, value);
        for (int p = 0; p < 3; p++) {
            System.arraycopy(weights.values(projections.get(p) + ".weight", hidden, hidden), 0, packed, p * hidden * hidden,
                    hidden * hidden);
            System.arraycopy(weights.values(projections.get(p) + ".bias", hidden), 0, bias, p * hidden, hidden);
        }
        Int8Weights q = Int8Weights.perColumn(packed, 3 * hidden, hidden);
        String name = query + "+key+value";
        if (attentionBias == null) {
            String[] input = graph.nodes("", "DynamicQuantizeLinear", 3, List.of(x));
            return graph.microsoft("QAttention", List.of(input[0],
                    graph.computed(name + ".int8", new long[] {hidden, 3L * hidden}, q.values()),
                    graph.computed(name + ".bias", new long[] {3L * hidden}, bias), input[1],
                    graph.computed(name + ".scale", new long[] {3L * hidden}, q.scales()), mask32, input[2]),
                    attribute("num_heads", (long) heads));
        }
        String qkv = graph.microsoft("DynamicQuantizeMatMul", List.of(x,
                graph.computed(name + ".int8", new long[] {hidden, 3L * hidden}, q.values()),
                graph.computed(name + ".scale", new long[] {3L * hidden}, q.scales()), "",
                graph.computed(name + ".bias", new long[] {3L * hidden}, bias)));
        String[] parts = graph.nodes("", "Split", 3, List.of(qkv, graph.longs(hidden, hidden, hidden)), attribute("axis", 2L));
        List<String> inputs = attentionBias == null ? List.of(parts[0], parts[1], parts[2], "", mask32)
                : List.of(parts[0], parts[1], parts[2], "", mask32, attentionBias);
        return graph.microsoft("MultiHeadAttention", inputs, attribute("num_heads", (long) heads));
    }

    /** {@code [batch, S, count · size]} seen as {@code [batch, S, count, size]}. */
    String splitHeads(String x, int count, int size) {
        return graph.node("Reshape", List.of(x, graph.longs(0, 0, count, size)));
    }

    /** {@code [batch, S, count, size]} seen as {@code [batch, S, count · size]}. */
    String mergeHeads(String x) {
        return graph.node("Reshape", List.of(x, graph.longs(0, 0, -1)));
    }

    /**
     * Rotary position embedding (the default "rotate half" form) of {@code x [batch, S, heads, size]}
     * at positions 0..S-1, from cos and sin tables {@code [positions, size]} (see {@link Rotary}).
     */
    String rotate(String x, Rotary rotary, String length) {
        String cos = graph.node("Unsqueeze", List.of(graph.node("Slice", List.of(rotary.cos(), graph.longs(0), length,
                graph.longs(0))), graph.longs(1)));
        String sin = graph.node("Unsqueeze", List.of(graph.node("Slice", List.of(rotary.sin(), graph.longs(0), length,
                graph.longs(0))), graph.longs(1)));
        int half = rotary.size() / 2;
        String[] halves = graph.nodes("", "Split", 2, List.of(x, graph.longs(half, half)), attribute("axis", -1L));
        String rotated = graph.node("Concat", List.of(graph.node("Neg", List.of(halves[1])), halves[0]), attribute("axis", -1L));
        return graph.node("Add", List.of(graph.node("Mul", List.of(x, cos)), graph.node("Mul", List.of(rotated, sin))));
    }

    /** A rotary embedding's cos and sin tables in the graph, {@code [positions, size]}. */
    record Rotary(String cos, String sin, int size) {
        /**
         * The tables of transformers' default rope: inverse frequencies {@code theta^(-2i/size)},
         * each repeated for both halves, in torch's float32 arithmetic.
         */
        static Rotary of(GraphBuilder graph, String name, double theta, int size, int positions) {
            float[] inverse = new float[size / 2];
            for (int i = 0; i < inverse.length; i++) {
                inverse[i] = (float) (1.0 / (float) Math.pow(theta, (float) (2 * i) / size));
            }
            float[] cos = new float[positions * size];
            float[] sin = new float[positions * size];
            for (int p = 0; p < positions; p++) {
                for (int i = 0; i < size; i++) {
                    float angle = p * inverse[i % inverse.length];
                    cos[p * size + i] = (float) Math.cos(angle);
                    sin[p * size + i] = (float) Math.sin(angle);
                }
            }
            long[] dims = {positions, size};
            return new Rotary(graph.computed(name + ".cos", dims, cos), graph.computed(name + ".sin", dims, sin), size);
        }
    }

    /**
     * Softmax attention on heads already projected: {@code q [batch, S, heads, size]}, {@code k} and
     * {@code v [batch, S, kvHeads, size]} (each key head shared by {@code heads / kvHeads} query heads,
     * as grouped-query attention repeats them), scaled by {@code 1/sqrt(size)}, plus an additive
     * {@code bias} broadcast to {@code [batch, heads, S, S]}. Returns {@code [batch, S, heads · size]}.
     */
    String attend(String q, String k, String v, int heads, int kvHeads, int size, String bias) {
        String queries = graph.node("Transpose", List.of(q), attribute("perm", 0L, 2L, 1L, 3L));
        String keys = repeatHeads(graph.node("Transpose", List.of(k), attribute("perm", 0L, 2L, 3L, 1L)), heads, kvHeads);
        String values = repeatHeads(graph.node("Transpose", List.of(v), attribute("perm", 0L, 2L, 1L, 3L)), heads, kvHeads);
        String scores = graph.node("Add", List.of(graph.node("Mul", List.of(graph.node("MatMul", List.of(queries, keys)),
                graph.scalar((float) (1 / Math.sqrt(size))))), bias));
        String weights = graph.node("Softmax", List.of(scores), attribute("axis", -1L));
        String context = graph.node("Transpose", List.of(graph.node("MatMul", List.of(weights, values))),
                attribute("perm", 0L, 2L, 1L, 3L));
        return mergeHeads(context);
    }

    /** {@code [batch, kvHeads, a, b]} with each head repeated for its group: {@code [batch, heads, a, b]}. */
    private String repeatHeads(String x, int heads, int kvHeads) {
        if (heads == kvHeads) {
            return x;
        }
        String grouped = graph.node("Unsqueeze", List.of(x, graph.longs(2)));
        String shape = graph.node("Shape", List.of(grouped));
        String target = graph.node("Concat", List.of(
                graph.node("Slice", List.of(shape, graph.longs(0), graph.longs(2))), graph.longs(heads / kvHeads),
                graph.node("Slice", List.of(shape, graph.longs(3), graph.longs(5)))), attribute("axis", 0L));
        String expanded = graph.node("Expand", List.of(grouped, target));
        String merged = graph.node("Concat", List.of(graph.node("Slice", List.of(shape, graph.longs(0), graph.longs(1))),
                graph.longs(heads), graph.node("Slice", List.of(shape, graph.longs(3), graph.longs(5)))), attribute("axis", 0L));
        return graph.node("Reshape", List.of(expanded, merged));
    }

    /**
     * An additive attention bias {@code [batch, 1, S, S]}: 0 where query i may see key j, the lowest
     * float where not. {@code allowed} is a boolean {@code [batch or 1, 1, S, S]}.
     */
    String bias(String allowed) {
        return graph.node("Where", List.of(allowed, graph.scalar(0f), graph.scalar(-Float.MAX_VALUE)));
    }

    /** Key padding as a boolean {@code [batch, 1, 1, S]}: true at real tokens. */
    String keysPresent(String mask) {
        return graph.node("Cast", List.of(graph.node("Unsqueeze", List.of(mask, graph.longs(1, 2)))),
                attribute("to", (long) DataType.BOOL_VALUE));
    }

    /** Query i and key j as a boolean {@code [1, 1, S, S]} from a comparison of j - i with a constant ({@code Less}, ...). */
    String relative(String length, String op, long threshold, boolean absolute) {
        String difference = relativePositions(length);
        String measured = absolute ? graph.node("Abs", List.of(difference)) : difference;
        return graph.node("Unsqueeze", List.of(graph.node(op, List.of(measured, graph.longScalar(threshold))), graph.longs(0, 1)));
    }

    /** {@code j - i} for query i and key j, {@code [S, S]} int64, {@code length} a one-element S. */
    String relativePositions(String length) {
        String range = graph.node("Range", List.of(graph.longScalar(0), graph.node("Squeeze", List.of(length, graph.longs(0))),
                graph.longScalar(1)));
        return graph.node("Sub", List.of(graph.node("Unsqueeze", List.of(range, graph.longs(0))),
                graph.node("Unsqueeze", List.of(range, graph.longs(1)))));
    }

    /** Where a post-norm encoder layer (BERT's layout) keeps its weights, as prefixes of torch Linears and LayerNorms. */
    record PostNormNames(String query, String key, String value, String attentionOutput, String attentionNorm,
            String intermediate, String output, String outputNorm) {
        /** BERT's, RoBERTa's and XLM-RoBERTa's names for layer {@code i}. */
        static PostNormNames bert(int i) {
            String layer = "encoder.layer." + i + ".";
            return new PostNormNames(layer + "attention.self.query", layer + "attention.self.key", layer + "attention.self.value",
                    layer + "attention.output.dense", layer + "attention.output.LayerNorm", layer + "intermediate.dense",
                    layer + "output.dense", layer + "output.LayerNorm");
        }
    }

    /**
     * A post-norm transformer encoder layer, as BERT has it: {@code h = LN(x + Attn(x))}, then
     * {@code LN(h + FFN(h))}, each residual sum fused with its LayerNorm and the output bias.
     */
    String postNormLayer(String x, String mask32, PostNormNames names, int hidden, int heads, int intermediate,
            Activation activation, double eps, String attentionBias) {
        String context = selfAttention(x, mask32, names.query(), names.key(), names.value(), hidden, heads, attentionBias);
        String attended = skipLayerNorm(product(context, names.attentionOutput(), hidden, hidden), x,
                names.attentionOutput() + ".bias", names.attentionNorm(), hidden, eps);
        String inner = activation(product(attended, names.intermediate(), hidden, intermediate), names.intermediate() + ".bias",
                intermediate, activation);
        return skipLayerNorm(product(inner, names.output(), intermediate, hidden), attended, names.output() + ".bias",
                names.outputNorm(), hidden, eps);
    }

    /** The activations the builder implements, by their Hugging Face names. */
    enum Activation {
        GELU, GELU_TANH, RELU, SILU, TANH;

        static final List<String> NAMES = List.of("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu", "swish");

        /** The activation of a {@code hidden_act}-style field. */
        static Activation of(ModelJson config, String field, String fallback) {
            return switch (config.oneOf(field, fallback, NAMES)) {
                case "gelu" -> GELU;
                case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
                case "relu" -> RELU;
                default -> SILU;
            };
        }
    }
}
