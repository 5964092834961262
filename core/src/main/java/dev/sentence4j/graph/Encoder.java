package dev.sentence4j.graph;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The sizes of a BERT-style post-norm encoder as {@code config.json} gives them (BERT's field names;
 * DistilBERT reads its own), and the layer stack and tied decoder built from them.
 */
record Encoder(int hidden, int heads, int layerCount, int intermediate, int vocabulary, int positions,
        Layers.Activation activation, double eps) {

    Encoder {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of the " + heads + " attention heads");
        }
    }

    /** BERT's fields: hidden_size, num_attention_heads, num_hidden_layers, intermediate_size, vocab_size, ... */
    static Encoder read(ModelJson config) {
        return new Encoder(config.integer("hidden_size"), config.integer("num_attention_heads"),
                config.integer("num_hidden_layers"), config.integer("intermediate_size"), config.integer("vocab_size"),
                config.integer("max_position_embeddings"), Layers.Activation.of(config, "hidden_act", "gelu"),
                config.number("layer_norm_eps", 1e-12));
    }

    /** The stack of post-norm layers, named as {@code names} gives them. */
    String layers(Layers layers, String x, String mask32, IntFunction<Layers.PostNormNames> names, String attentionBias) {
        for (int i = 0; i < layerCount; i++) {
            x = layers.postNormLayer(x, mask32, names.apply(i), hidden, heads, intermediate, activation, eps, attentionBias);
        }
        return x;
    }

    /**
     * A masked-LM decoder: {@code x · Eᵀ + bias}, {@code E} the head's own decoder weight when the
     * checkpoint has one, else the word embeddings it is tied to.
     */
    String decoder(Layers layers, String x, String decoderWeight, String wordEmbeddings, String bias) {
        long[] shape = {vocabulary, hidden};
        String matrix = layers.weights.hasHead(decoderWeight) ? layers.weights.headWeight(layers.graph, decoderWeight, shape)
                : layers.weights.weight(layers.graph, wordEmbeddings, shape);
        String logits = layers.graph.node("MatMul", List.of(x, layers.transposed(matrix)));
        return layers.graph.node("Add", List.of(logits, layers.weights.headWeight(layers.graph, bias, vocabulary)));
    }

    /** A sequence classifier's label count: the size of id2label, or transformers' default of 2. */
    static int labels(ModelJson config) {
        return config.field("id2label").map(labels -> labels.size()).orElse(config.integer("num_labels", 2));
    }

    /** The error for a head an encoder does not have (a causal language model's). */
    static IllegalArgumentException unbuilt(ModelJson config, Head head) {
        return config.error("sentence4j builds no " + head + " head for model_type '" + config.modelType() + "'");
    }
}
