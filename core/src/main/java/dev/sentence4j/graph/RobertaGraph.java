package dev.sentence4j.graph;

import static dev.sentence4j.graph.GraphBuilder.attribute;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.List;

/**
 * RoBERTa and XLM-RoBERTa ({@code roberta}, {@code xlm-roberta}): BERT's encoder, with positions
 * counted over the real tokens from {@code pad_token_id + 1} and no token type input (type 0 only);
 * heads as RobertaForSequenceClassification (dense, tanh, out_proj on the first token) and
 * RobertaForMaskedLM ({@code lm_head}).
 */
final class RobertaGraph implements Architecture {
    @Override
    public void build(Layers layers, ModelJson config, Head head) {
        Encoder encoder = Encoder.read(config);
        config.oneOf("position_embedding_type", "absolute", List.of("absolute"));
        config.requireBool("is_decoder", false, false);
        layers.weights.usePrefix("embeddings.word_embeddings.weight", "", "roberta.");
        GraphBuilder graph = layers.graph;
        String ids = graph.input("input_ids", DataType.INT64, "batch", "sequence");
        String mask = graph.input("attention_mask", DataType.INT64, "batch", "sequence");
        String positions = layers.embedding(paddedPositions(layers, ids, config.integer("pad_token_id", 1)),
                "embeddings.position_embeddings.weight", encoder.positions(), encoder.hidden());
        String typeZero = layers.leadingRows("embeddings.token_type_embeddings.weight", config.integer("type_vocab_size", 1),
                encoder.hidden(), graph.longs(1));
        String sum = graph.node("Add", List.of(graph.node("Add", List.of(
                layers.embedding(ids, "embeddings.word_embeddings.weight", encoder.vocabulary(), encoder.hidden()), positions)),
                typeZero));
        String x = encoder.layers(layers, layers.layerNorm(sum, "embeddings.LayerNorm", encoder.hidden(), encoder.eps(), true),
                layers.int32(mask), Layers.PostNormNames::bert, null);
        output(layers, config, encoder, head, x, "classifier", "embeddings.word_embeddings.weight");
    }

    /**
     * Position ids as fairseq numbers them: {@code padding_idx + 1, +2, ...} over the tokens that are
     * not padding, {@code padding_idx} on padding ({@code create_position_ids_from_input_ids}).
     */
    static String paddedPositions(Layers layers, String ids, int paddingIndex) {
        GraphBuilder graph = layers.graph;
        String real = graph.node("Cast", List.of(graph.node("Not", List.of(graph.node("Equal", List.of(ids,
                graph.longScalar(paddingIndex)))))), attribute("to", (long) DataType.INT64_VALUE));
        String counted = graph.node("CumSum", List.of(real, graph.longScalar(1)));
        return graph.node("Add", List.of(graph.node("Mul", List.of(counted, real)), graph.longScalar(paddingIndex)));
    }

    /**
     * The output for a head as RoBERTa-style models have them (also MPNet): the classification head's
     * {@code dense} and {@code out_proj} under {@code classifier}, the masked-LM head under {@code lm_head}.
     */
    static void output(Layers layers, ModelJson config, Encoder encoder, Head head, String x, String classifier,
            String wordEmbeddings) {
        GraphBuilder graph = layers.graph;
        switch (head) {
            case NONE -> graph.output(x, head.output(), DataType.FLOAT, "batch", "sequence", (long) encoder.hidden());
            case SEQUENCE_CLASSIFICATION -> {
                String pooled = layers.activation(layers.headLinear(BertGraph.first(graph, x), classifier + ".dense",
                        encoder.hidden(), encoder.hidden()), Layers.Activation.TANH);
                int labels = Encoder.labels(config);
                graph.output(layers.headLinear(pooled, classifier + ".out_proj", encoder.hidden(), labels), head.output(),
                        DataType.FLOAT, "batch", (long) labels);
            }
            case MASKED_LM -> {
                String transformed = layers.headLayerNorm(layers.activation(
                        layers.headLinear(x, "lm_head.dense", encoder.hidden(), encoder.hidden()), Layers.Activation.GELU),
                        "lm_head.layer_norm", encoder.hidden(), encoder.eps());
                graph.output(encoder.decoder(layers, transformed, "lm_head.decoder.weight", wordEmbeddings, "lm_head.bias"),
                        head.output(), DataType.FLOAT, "batch", "sequence", (long) encoder.vocabulary());
            }
            default -> throw Encoder.unbuilt(config, head);
        }
    }
}
