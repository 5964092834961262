package dev.sentence4j.graph;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * ModernBERT ({@code modernbert}): token embeddings and LayerNorm without bias, pre-norm layers (the
 * first without its attention norm) with rotary positions, global attention every
 * {@code global_attn_every_n_layers} layers and local attention (a window of {@code local_attention}
 * tokens centred on the query) in the others, each with its own rope theta, a gated MLP ({@code Wi}
 * gives input and gate), and a final norm. No biases.
 */
final class ModernBertGraph implements Architecture {
    @Override
    public void build(Layers layers, ModelJson config, Head head) {
        if (head != Head.NONE && head != Head.SEQUENCE_CLASSIFICATION) {
            throw config.error("sentence4j builds modernbert as the base model and its sequence classifier; its " + head
                    + " head is not implemented");
        }
        int hidden = config.integer("hidden_size");
        int heads = config.integer("num_attention_heads");
        int layerCount = config.integer("num_hidden_layers");
        int intermediate = config.integer("intermediate_size");
        int vocabulary = config.integer("vocab_size");
        int positions = config.integer("max_position_embeddings");
        int window = config.integer("local_attention", 128);
        double eps = config.number("norm_eps", 1e-5);
        for (String field : List.of("attention_bias", "mlp_bias", "norm_bias")) {
            config.requireBool(field, false, false);
        }
        config.requireAbsent("rope_scaling", "only the default rotary embedding is implemented");
        Layers.Activation activation = Layers.Activation.of(config, "hidden_activation", "gelu");
        List<Boolean> global = globalLayers(config, layerCount);
        int size = hidden / heads;
        layers.weights.usePrefix("embeddings.tok_embeddings.weight", "", "model.");

        GraphBuilder graph = layers.graph;
        String ids = graph.input("input_ids", DataType.INT64, "batch", "sequence");
        String mask = graph.input("attention_mask", DataType.INT64, "batch", "sequence");
        String length = layers.dimension(ids, 1);
        String keys = layers.keysPresent(mask);
        String globalBias = layers.bias(keys);
        String localBias = layers.bias(graph.node("And", List.of(keys, layers.relative(length, "LessOrEqual", window / 2, true))));
        Layers.Rotary globalRope = Layers.Rotary.of(graph, "rope.global", theta(config, "full_attention", "global_rope_theta", 160000),
                size, positions);
        Layers.Rotary localRope = Layers.Rotary.of(graph, "rope.local", theta(config, "sliding_attention", "local_rope_theta", 10000),
                size, positions);

        String x = layers.layerNorm(layers.embedding(ids, "embeddings.tok_embeddings.weight", vocabulary, hidden),
                "embeddings.norm", hidden, eps, false);
        for (int i = 0; i < layerCount; i++) {
            String layer = "layers." + i + ".";
            String normed = layers.weights.has(layer + "attn_norm.weight") ? layers.layerNorm(x, layer + "attn_norm", hidden, eps, false) : x;
            String[] qkv = graph.nodes("", "Split", 3, List.of(layers.product(normed, layer + "attn.Wqkv", hidden, 3 * hidden),
                    graph.longs(hidden, hidden, hidden)), GraphBuilder.attribute("axis", 2L));
            Layers.Rotary rope = global.get(i) ? globalRope : localRope;
            String q = layers.rotate(layers.splitHeads(qkv[0], heads, size), rope, length);
            String k = layers.rotate(layers.splitHeads(qkv[1], heads, size), rope, length);
            String context = layers.attend(q, k, layers.splitHeads(qkv[2], heads, size), heads, heads, size,
                    global.get(i) ? globalBias : localBias);
            x = graph.node("Add", List.of(x, layers.product(context, layer + "attn.Wo", hidden, hidden)));
            String[] inputAndGate = graph.nodes("", "Split", 2, List.of(layers.product(
                    layers.layerNorm(x, layer + "mlp_norm", hidden, eps, false), layer + "mlp.Wi", hidden, 2 * intermediate),
                    graph.longs(intermediate, intermediate)), GraphBuilder.attribute("axis", 2L));
            String gated = graph.node("Mul", List.of(layers.activation(inputAndGate[0], activation), inputAndGate[1]));
            x = graph.node("Add", List.of(x, layers.product(gated, layer + "mlp.Wo", intermediate, hidden)));
        }
        x = layers.layerNorm(x, "final_norm", hidden, eps, false);
        if (head == Head.NONE) {
            graph.output(x, head.output(), DataType.FLOAT, "batch", "sequence", (long) hidden);
            return;
        }
        classifier(layers, config, x, mask, hidden, eps);
    }

    /**
     * ModernBertForSequenceClassification's head: the first token's state ({@code classifier_pooling}
     * cls) or the mean over real tokens (mean), then {@code head} (dense with {@code classifier_bias},
     * {@code classifier_activation}, LayerNorm with {@code norm_bias}) and {@code classifier}.
     */
    private static void classifier(Layers layers, ModelJson config, String x, String mask, int hidden, double eps) {
        GraphBuilder graph = layers.graph;
        String pooled = switch (config.oneOf("classifier_pooling", "cls", List.of("cls", "mean"))) {
            case "cls" -> BertGraph.first(graph, x);
            default -> {
                String weights = graph.node("Unsqueeze", List.of(graph.node("Cast", List.of(mask),
                        GraphBuilder.attribute("to", (long) DataType.FLOAT_VALUE)), graph.longs(2)));
                String sum = graph.node("ReduceSum", List.of(graph.node("Mul", List.of(x, weights)), graph.longs(1)),
                        GraphBuilder.attribute("keepdims", 0L));
                yield graph.node("Div", List.of(sum, graph.node("ReduceSum", List.of(weights, graph.longs(1)),
                        GraphBuilder.attribute("keepdims", 0L))));
            }
        };
        boolean denseBias = config.bool("classifier_bias", false);
        String dense = graph.node("MatMul", List.of(pooled, layers.transposed(layers.weights.headWeight(graph, "head.dense.weight",
                hidden, hidden))));
        if (denseBias) {
            dense = graph.node("Add", List.of(dense, layers.weights.headWeight(graph, "head.dense.bias", hidden)));
        }
        String activated = layers.activation(dense, Layers.Activation.of(config, "classifier_activation", "gelu"));
        String normed = graph.node("LayerNormalization", List.of(activated, layers.weights.headWeight(graph, "head.norm.weight",
                hidden)), GraphBuilder.attribute("axis", -1L), GraphBuilder.attribute("epsilon", (float) eps));
        int labels = Encoder.labels(config);
        graph.output(layers.headLinear(normed, "classifier", hidden, labels), Head.SEQUENCE_CLASSIFICATION.output(),
                DataType.FLOAT, "batch", (long) labels);
    }

    /** Which layers attend globally: {@code layer_types} when given, else every {@code global_attn_every_n_layers}-th from 0. */
    private static List<Boolean> globalLayers(ModelJson config, int layerCount) {
        List<Boolean> global = new ArrayList<>();
        var types = config.field("layer_types");
        if (types.isPresent()) {
            if (types.get().size() != layerCount) {
                throw config.error("field 'layer_types' has " + types.get().size() + " entries for " + layerCount + " layers");
            }
            for (var type : types.get()) {
                switch (type.asText()) {
                    case "full_attention" -> global.add(true);
                    case "sliding_attention" -> global.add(false);
                    default -> throw config.error("field 'layer_types' holds '" + type.asText()
                            + "', which sentence4j's modernbert graph does not implement (full_attention, sliding_attention)");
                }
            }
            return global;
        }
        int every = config.integer("global_attn_every_n_layers", 3);
        for (int i = 0; i < layerCount; i++) {
            global.add(i % every == 0);
        }
        return global;
    }

    /**
     * A layer type's rope theta: {@code rope_parameters.<type>.rope_theta} as transformers 5 writes it
     * (only the default rope type), else the older top-level field.
     */
    private static double theta(ModelJson config, String layerType, String legacyField, double fallback) {
        var parameters = config.field("rope_parameters");
        if (parameters.isEmpty()) {
            return config.number(legacyField, fallback);
        }
        var forType = parameters.get().path(layerType);
        String type = forType.path("rope_type").asText("default");
        if (!type.equals("default")) {
            throw config.error("field 'rope_parameters." + layerType + ".rope_type' is '" + type
                    + "', which sentence4j's modernbert graph does not implement (default)");
        }
        return forType.path("rope_theta").asDouble(config.number(legacyField, fallback));
    }
}
