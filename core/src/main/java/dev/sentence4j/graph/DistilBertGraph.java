package dev.sentence4j.graph;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.List;

/**
 * DistilBERT ({@code distilbert}): word and absolute position embeddings, BERT's post-norm layers under
 * its own names and fields, LayerNorm eps fixed at 1e-12; heads as DistilBertForSequenceClassification
 * (pre_classifier, ReLU, classifier) and DistilBertForMaskedLM (vocab_transform, vocab_layer_norm,
 * vocab_projector tied to the word embeddings).
 */
final class DistilBertGraph implements Architecture {
    private static final double EPS = 1e-12;

    @Override
    public void build(Layers layers, ModelJson config, Head head) {
        Encoder encoder = new Encoder(config.integer("dim"), config.integer("n_heads"), config.integer("n_layers"),
                config.integer("hidden_dim"), config.integer("vocab_size"), config.integer("max_position_embeddings"),
                Layers.Activation.of(config, "activation", "gelu"), EPS);
        layers.weights.usePrefix("embeddings.word_embeddings.weight", "", "distilbert.");
        GraphBuilder graph = layers.graph;
        String ids = graph.input("input_ids", DataType.INT64, "batch", "sequence");
        String mask = graph.input("attention_mask", DataType.INT64, "batch", "sequence");
        String positions = layers.leadingRows("embeddings.position_embeddings.weight", encoder.positions(), encoder.hidden(),
                layers.dimension(ids, 1));
        String sum = graph.node("Add", List.of(
                layers.embedding(ids, "embeddings.word_embeddings.weight", encoder.vocabulary(), encoder.hidden()), positions));
        String x = encoder.layers(layers, layers.layerNorm(sum, "embeddings.LayerNorm", encoder.hidden(), EPS, true),
                layers.int32(mask), DistilBertGraph::names, null);
        switch (head) {
            case NONE -> graph.output(x, head.output(), DataType.FLOAT, "batch", "sequence", (long) encoder.hidden());
            case SEQUENCE_CLASSIFICATION -> {
                String pooled = layers.activation(layers.headLinear(BertGraph.first(graph, x), "pre_classifier",
                        encoder.hidden(), encoder.hidden()), Layers.Activation.RELU);
                int labels = Encoder.labels(config);
                graph.output(layers.headLinear(pooled, "classifier", encoder.hidden(), labels), head.output(), DataType.FLOAT,
                        "batch", (long) labels);
            }
            case MASKED_LM -> {
                String transformed = layers.headLayerNorm(layers.activation(
                        layers.headLinear(x, "vocab_transform", encoder.hidden(), encoder.hidden()), encoder.activation()),
                        "vocab_layer_norm", encoder.hidden(), EPS);
                graph.output(encoder.decoder(layers, transformed, "vocab_projector.weight", "embeddings.word_embeddings.weight",
                        "vocab_projector.bias"), head.output(), DataType.FLOAT, "batch", "sequence", (long) encoder.vocabulary());
            }
            default -> throw Encoder.unbuilt(config, head);
        }
    }

    private static Layers.PostNormNames names(int i) {
        String layer = "transformer.layer." + i + ".";
        return new Layers.PostNormNames(layer + "attention.q_lin", layer + "attention.k_lin", layer + "attention.v_lin",
                layer + "attention.out_lin", layer + "sa_layer_norm", layer + "ffn.lin1", layer + "ffn.lin2",
                layer + "output_layer_norm");
    }
}
