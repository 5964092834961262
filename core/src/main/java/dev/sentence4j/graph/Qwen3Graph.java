package dev.sentence4j.graph;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.List;

/**
 * Qwen3 ({@code qwen3}), the decoder Qwen3-Embedding runs: token embeddings, pre-norm layers with
 * RMSNorm, causal grouped-query attention whose queries and keys are RMS-normalized per head before
 * the rotary embedding, a SwiGLU MLP, and a final RMSNorm. Positions count from 0 at the first column
 * whatever the padding, as transformers numbers them without a cache.
 */
final class Qwen3Graph implements Architecture {
    @Override
    public void build(Layers layers, ModelJson config, Head head) {
        if (head != Head.NONE) {
            throw config.error("sentence4j builds qwen3 only as the base model; its " + head + " head is not implemented");
        }
        int hidden = config.integer("hidden_size");
        int heads = config.integer("num_attention_heads");
        int kvHeads = config.integer("num_key_value_heads", heads);
        int size = config.integer("head_dim", hidden / heads);
        int layerCount = config.integer("num_hidden_layers");
        int intermediate = config.integer("intermediate_size");
        int vocabulary = config.integer("vocab_size");
        int positions = config.integer("max_position_embeddings");
        double eps = config.number("rms_norm_eps", 1e-6);
        if (heads % kvHeads != 0) {
            throw config.error("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        config.requireBool("attention_bias", false, false);
        config.requireBool("use_sliding_window", false, false);
        config.requireAbsent("rope_scaling", "only the default rotary embedding is implemented");
        config.field("layer_types").ifPresent(types -> types.forEach(type -> {
            if (!type.asText().equals("full_attention")) {
                throw config.error("field 'layer_types' holds '" + type.asText()
                        + "', which sentence4j's qwen3 graph does not implement (full_attention)");
            }
        }));
        Layers.Activation activation = Layers.Activation.of(config, "hidden_act", "silu");
        layers.weights.usePrefix("embed_tokens.weight", "", "model.");

        GraphBuilder graph = layers.graph;
        String ids = graph.input("input_ids", DataType.INT64, "batch", "sequence");
        String mask = graph.input("attention_mask", DataType.INT64, "batch", "sequence");
        String length = layers.dimension(ids, 1);
        String causal = layers.bias(graph.node("And", List.of(layers.keysPresent(mask),
                layers.relative(length, "LessOrEqual", 0, false))));
        Layers.Rotary rope = Layers.Rotary.of(graph, "rope", theta(config), size, positions);

        String x = layers.embedding(ids, "embed_tokens.weight", vocabulary, hidden);
        for (int i = 0; i < layerCount; i++) {
            String layer = "layers." + i + ".";
            String normed = layers.rmsNorm(x, layer + "input_layernorm.weight", hidden, eps);
            String q = layers.rotate(layers.rmsNorm(layers.splitHeads(layers.product(normed, layer + "self_attn.q_proj", hidden,
                    heads * size), heads, size), layer + "self_attn.q_norm.weight", size, eps), rope, length);
            String k = layers.rotate(layers.rmsNorm(layers.splitHeads(layers.product(normed, layer + "self_attn.k_proj", hidden,
                    kvHeads * size), kvHeads, size), layer + "self_attn.k_norm.weight", size, eps), rope, length);
            String v = layers.splitHeads(layers.product(normed, layer + "self_attn.v_proj", hidden, kvHeads * size), kvHeads, size);
            String context = layers.attend(q, k, v, heads, kvHeads, size, causal);
            x = graph.node("Add", List.of(x, layers.product(context, layer + "self_attn.o_proj", heads * size, hidden)));
            String mlpIn = layers.rmsNorm(x, layer + "post_attention_layernorm.weight", hidden, eps);
            String gate = layers.activation(layers.product(mlpIn, layer + "mlp.gate_proj", hidden, intermediate), activation);
            String up = layers.product(mlpIn, layer + "mlp.up_proj", hidden, intermediate);
            x = graph.node("Add", List.of(x, layers.product(graph.node("Mul", List.of(gate, up)), layer + "mlp.down_proj",
                    intermediate, hidden)));
        }
        x = layers.rmsNorm(x, "norm.weight", hidden, eps);
        graph.output(x, head.output(), DataType.FLOAT, "batch", "sequence", (long) hidden);
    }

    /** {@code rope_parameters.rope_theta} as transformers 5 writes it (only the default rope type), else {@code rope_theta}. */
    private static double theta(ModelJson config) {
        var parameters = config.field("rope_parameters");
        if (parameters.isEmpty()) {
            return config.number("rope_theta", 10000);
        }
        String type = parameters.get().path("rope_type").asText("default");
        if (!type.equals("default")) {
            throw config.error("field 'rope_parameters.rope_type' is '" + type
                    + "', which sentence4j's qwen3 graph does not implement (default)");
        }
        return parameters.get().path("rope_theta").asDouble(config.number("rope_theta", 10000));
    }
}
