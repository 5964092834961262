package dev.sentence4j.graph;

import static dev.sentence4j.graph.GraphBuilder.attribute;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.List;

/**
 * The Qwen decoders: Qwen3 ({@code qwen3}, which Qwen3-Embedding and Qwen3-Reranker run) and Qwen2
 * ({@code qwen2}, which mxbai-rerank-v2 runs). Token embeddings, pre-norm layers with RMSNorm, causal
 * grouped-query attention with rotary positions, a SwiGLU MLP and a final RMSNorm. Qwen3 RMS-normalizes
 * queries and keys per head before the rotary embedding and has no projection biases (unless
 * {@code attention_bias}); Qwen2 has no such norms and biases on its query, key and value projections.
 * Positions count from 0 at the first column whatever the padding, as transformers numbers them
 * without a cache.
 *
 * <p>Heads: {@code *ForSequenceClassification} ({@code score}, no bias, read at each sequence's last
 * token that is not {@code pad_token_id}, as transformers' generic classifier does) and
 * {@code *ForCausalLM} at the last position ({@code lm_head}, or the embeddings it is tied to), of
 * which only the rows the caller needs are computed. Both heads normalize only the position they read.
 */
final class DecoderGraph implements Architecture {
    private final String modelType;
    private final boolean queryKeyNorm;

    private DecoderGraph(String modelType, boolean queryKeyNorm) {
        this.modelType = modelType;
        this.queryKeyNorm = queryKeyNorm;
    }

    static DecoderGraph qwen3() {
        return new DecoderGraph("qwen3", true);
    }

    static DecoderGraph qwen2() {
        return new DecoderGraph("qwen2", false);
    }

    @Override
    public void build(Layers layers, ModelJson config, Head head) {
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
        // Qwen2 always has query, key and value biases and no output bias; Qwen3 has all four or none.
        boolean projectionBias = !queryKeyNorm || config.bool("attention_bias", false);
        boolean outputBias = queryKeyNorm && config.bool("attention_bias", false);
        config.requireBool("use_sliding_window", false, false);
        config.requireAbsent("rope_scaling", "only the default rotary embedding is implemented");
        config.field("layer_types").ifPresent(types -> types.forEach(type -> {
            if (!type.asText().equals("full_attention")) {
                throw config.error("field 'layer_types' holds '" + type.asText()
                        + "', which sentence4j's " + modelType + " graph does not implement (full_attention)");
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
            String q = layers.splitHeads(layers.linear(normed, layer + "self_attn.q_proj", hidden, heads * size, projectionBias),
                    heads, size);
            String k = layers.splitHeads(layers.linear(normed, layer + "self_attn.k_proj", hidden, kvHeads * size,
                    projectionBias), kvHeads, size);
            if (queryKeyNorm) {
                q = layers.rmsNorm(q, layer + "self_attn.q_norm.weight", size, eps);
                k = layers.rmsNorm(k, layer + "self_attn.k_norm.weight", size, eps);
            }
            String v = layers.splitHeads(layers.linear(normed, layer + "self_attn.v_proj", hidden, kvHeads * size,
                    projectionBias), kvHeads, size);
            String context = layers.attend(layers.rotate(q, rope, length), layers.rotate(k, rope, length), v, heads, kvHeads,
                    size, causal);
            x = graph.node("Add", List.of(x, layers.linear(context, layer + "self_attn.o_proj", heads * size, hidden,
                    outputBias)));
            String mlpIn = layers.rmsNorm(x, layer + "post_attention_layernorm.weight", hidden, eps);
            String gate = layers.activation(layers.product(mlpIn, layer + "mlp.gate_proj", hidden, intermediate), activation);
            String up = layers.product(mlpIn, layer + "mlp.up_proj", hidden, intermediate);
            x = graph.node("Add", List.of(x, layers.product(graph.node("Mul", List.of(gate, up)), layer + "mlp.down_proj",
                    intermediate, hidden)));
        }
        switch (head) {
            case NONE -> graph.output(layers.rmsNorm(x, "norm.weight", hidden, eps), head.output(), DataType.FLOAT,
                    "batch", "sequence", (long) hidden);
            case SEQUENCE_CLASSIFICATION -> {
                int labels = Encoder.labels(config);
                String last = layers.rmsNorm(lastRealToken(graph, x, ids, config), "norm.weight", hidden, eps);
                graph.output(layers.headProduct(last, "score", hidden, labels), head.output(), DataType.FLOAT,
                        "batch", (long) labels);
            }
            case CAUSAL_LM -> {
                String last = layers.rmsNorm(graph.node("Gather", List.of(x, graph.longScalar(-1)), attribute("axis", 1L)),
                        "norm.weight", hidden, eps);
                String matrix = languageModelHead(layers, config, vocabulary, hidden);
                List<Integer> rows = layers.vocabularyRows;
                for (int row : rows) {
                    if (row < 0 || row >= vocabulary) {
                        throw config.error("vocabulary row " + row + " is outside the " + vocabulary + " rows of vocab_size");
                    }
                }
                if (!rows.isEmpty()) {
                    matrix = graph.node("Gather", List.of(matrix, graph.longs(rows.stream().mapToLong(Integer::longValue)
                            .toArray())), attribute("axis", 0L));
                }
                graph.output(graph.node("MatMul", List.of(last, layers.transposed(matrix))), head.output(), DataType.FLOAT,
                        "batch", (long) (rows.isEmpty() ? vocabulary : rows.size()));
            }
            default -> throw Encoder.unbuilt(config, head);
        }
    }

    /**
     * Each sequence's hidden state at its last token that is not {@code pad_token_id} (the rightmost,
     * whichever side the padding is on; the first column when all are padding), or at the last column
     * when the configuration has no padding token, as transformers' sequence classifier pools.
     */
    private static String lastRealToken(GraphBuilder graph, String x, String ids, ModelJson config) {
        var pad = config.field("pad_token_id").filter(value -> !value.isNull());
        if (pad.isEmpty()) {
            return graph.node("Gather", List.of(x, graph.longScalar(-1)), attribute("axis", 1L));
        }
        String real = graph.node("Cast", List.of(graph.node("Not", List.of(graph.node("Equal", List.of(ids,
                graph.longScalar(pad.get().asLong())))))), attribute("to", (long) DataType.INT64_VALUE));
        String columns = graph.node("Range", List.of(graph.longScalar(0), graph.node("Squeeze", List.of(
                graph.node("Shape", List.of(ids), attribute("start", 1L), attribute("end", 2L)), graph.longs(0))),
                graph.longScalar(1)));
        String index = graph.node("ArgMax", List.of(graph.node("Mul", List.of(real, columns))), attribute("axis", 1L),
                attribute("keepdims", 1L));
        return graph.node("GatherND", List.of(x, index), attribute("batch_dims", 1L));
    }

    /** {@code lm_head.weight}, or the token embeddings when {@code tie_word_embeddings} ties the head to them. */
    private static String languageModelHead(Layers layers, ModelJson config, int vocabulary, int hidden) {
        if (config.bool("tie_word_embeddings", false) || !layers.weights.hasHead("lm_head.weight")) {
            if (!config.bool("tie_word_embeddings", false)) {
                throw new IllegalArgumentException(layers.weights.source() + " has no tensor 'lm_head.weight', and config.json "
                        + "does not tie the language-model head to the embeddings (tie_word_embeddings)");
            }
            return layers.weights.weight(layers.graph, "embed_tokens.weight", vocabulary, hidden);
        }
        return layers.weights.headWeight(layers.graph, "lm_head.weight", vocabulary, hidden);
    }

    /** {@code rope_parameters.rope_theta} as transformers 5 writes it (only the default rope type), else {@code rope_theta}. */
    private double theta(ModelJson config) {
        var parameters = config.field("rope_parameters");
        if (parameters.isEmpty()) {
            return config.number("rope_theta", 10000);
        }
        String type = parameters.get().path("rope_type").asText("default");
        if (!type.equals("default")) {
            throw config.error("field 'rope_parameters.rope_type' is '" + type
                    + "', which sentence4j's " + modelType + " graph does not implement (default)");
        }
        return parameters.get().path("rope_theta").asDouble(config.number("rope_theta", 10000));
    }
}
