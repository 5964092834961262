package dev.sentence4j.graph;

import static dev.sentence4j.graph.OnnxGraph.attribute;

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
    final OnnxGraph graph;
    final Checkpoint weights;
    private final boolean quantized;

    Layers(OnnxGraph graph, Checkpoint weights, boolean quantized) {
        this.graph = graph;
        this.weights = weights;
        this.quantized = quantized;
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

    /** RMSNorm over the last axis: {@code x / sqrt(mean(x²) + eps) · weight}, in one fused operator. */
    String rmsNorm(String x, String weightName, int size, double eps) {
        return graph.microsoft("SimplifiedLayerNormalization", List.of(x, weights.weight(graph, weightName, size)),
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

    /** An int64 tensor cast to float32. */
    String float32(String x) {
        return graph.node("Cast", List.of(x), attribute("to", (long) DataType.FLOAT_VALUE));
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

    /** As {@link #selfAttention}, with int8 projections feeding ONNX Runtime's MultiHeadAttention. */
    private String quantizedSelfAttention(String x, String mask32, String query, String key, String value, int hidden,
            int heads, String attentionBias) {
        String q = linear(x, query, hidden, hidden, true);
        String k = linear(x, key, hidden, hidden, true);
        String v = linear(x, value, hidden, hidden, true);
        List<String> inputs = attentionBias == null ? List.of(q, k, v, "", mask32)
                : List.of(q, k, v, "", mask32, attentionBias);
        return graph.microsoft("MultiHeadAttention", inputs, attribute("num_heads", (long) heads));
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
