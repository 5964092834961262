package dev.sentence4j.graph;

import static dev.sentence4j.graph.GraphBuilder.attribute;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.List;

/**
 * BERT ({@code model_type} {@code bert}): word, absolute position and token type embeddings, post-norm
 * encoder layers; heads as BertForSequenceClassification (pooler, classifier) and BertForMaskedLM
 * (transform, decoder tied to the word embeddings, bias).
 */
final class BertGraph implements Architecture {
    @Override
    public void build(Layers layers, ModelJson config, Head head) {
        Encoder encoder = Encoder.read(config);
        config.oneOf("position_embedding_type", "absolute", List.of("absolute"));
        config.requireBool("is_decoder", false, false);
        layers.weights.usePrefix("embeddings.word_embeddings.weight", "", "bert.");
        GraphBuilder graph = layers.graph;
        String ids = graph.input("input_ids", DataType.INT64, "batch", "sequence");
        String mask = graph.input("attention_mask", DataType.INT64, "batch", "sequence");
        String types = graph.input("token_type_ids", DataType.INT64, "batch", "sequence");
        String positions = layers.leadingRows("embeddings.position_embeddings.weight", encoder.positions(), encoder.hidden(),
                layers.dimension(ids, 1));
        int typeCount = config.integer("type_vocab_size", 2);
        String sum = graph.node("Add", List.of(graph.node("Add", List.of(
                layers.embedding(ids, "embeddings.word_embeddings.weight", encoder.vocabulary(), encoder.hidden()), positions)),
                layers.embedding(types, "embeddings.token_type_embeddings.weight", typeCount, encoder.hidden())));
        String x = encoder.layers(layers, layers.layerNorm(sum, "embeddings.LayerNorm", encoder.hidden(), encoder.eps(), true),
                layers.int32(mask), Layers.PostNormNames::bert, null);
        switch (head) {
            case NONE -> graph.output(x, head.output(), DataType.FLOAT, "batch", "sequence", (long) encoder.hidden());
            case SEQUENCE_CLASSIFICATION -> {
                String pooled = layers.activation(layers.linear(first(graph, x), "pooler.dense", encoder.hidden(), encoder.hidden(), true),
                        Layers.Activation.TANH);
                int labels = Encoder.labels(config);
                graph.output(layers.headLinear(pooled, "classifier", encoder.hidden(), labels), head.output(), DataType.FLOAT,
                        "batch", (long) labels);
            }
            case MASKED_LM -> {
                String transformed = layers.headLayerNorm(layers.activation(
                        layers.headLinear(x, "cls.predictions.transform.dense", encoder.hidden(), encoder.hidden()), encoder.activation()),
                        "cls.predictions.transform.LayerNorm", encoder.hidden(), encoder.eps());
                String bias = layers.weights.hasHead("cls.predictions.bias") ? "cls.predictions.bias" : "cls.predictions.decoder.bias";
                graph.output(encoder.decoder(layers, transformed, "cls.predictions.decoder.weight", "embeddings.word_embeddings.weight",
                        bias), head.output(), DataType.FLOAT, "batch", "sequence", (long) encoder.vocabulary());
            }
            default -> throw Encoder.unbuilt(config, head);
        }
    }

    /** The first token's vector of each sequence, {@code [batch, hidden]}. */
    static String first(GraphBuilder graph, String x) {
        return graph.node("Gather", List.of(x, graph.longScalar(0)), attribute("axis", 1L));
    }
}
