package dev.sentence4j.graph;

import static dev.sentence4j.graph.GraphBuilder.attribute;

import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import java.util.List;

/**
 * MPNet ({@code mpnet}): word embeddings and RoBERTa-style positions, post-norm layers whose attention
 * adds a learned bias per head and relative-position bucket (T5's bidirectional buckets, shared by all
 * layers); heads as MPNetForSequenceClassification and MPNetForMaskedLM (RoBERTa's layout).
 */
final class MpnetGraph implements Architecture {
    /** transformers fixes the largest bucketed distance at 128 for MPNet. */
    private static final int MAX_DISTANCE = 128;

    @Override
    public void build(Layers layers, ModelJson config, Head head) {
        Encoder encoder = Encoder.read(config);
        int buckets = config.integer("relative_attention_num_buckets", 32);
        layers.weights.usePrefix("embeddings.word_embeddings.weight", "", "mpnet.");
        GraphBuilder graph = layers.graph;
        String ids = graph.input("input_ids", DataType.INT64, "batch", "sequence");
        String mask = graph.input("attention_mask", DataType.INT64, "batch", "sequence");
        String positions = layers.embedding(RobertaGraph.paddedPositions(layers, ids, config.integer("pad_token_id", 1)),
                "embeddings.position_embeddings.weight", encoder.positions(), encoder.hidden());
        String sum = graph.node("Add", List.of(
                layers.embedding(ids, "embeddings.word_embeddings.weight", encoder.vocabulary(), encoder.hidden()), positions));
        String bias = positionBias(layers, ids, encoder, buckets);
        String x = encoder.layers(layers, layers.layerNorm(sum, "embeddings.LayerNorm", encoder.hidden(), encoder.eps(), true),
                layers.int32(mask), MpnetGraph::names, bias);
        RobertaGraph.output(layers, config, encoder, head, x, "classifier", "embeddings.word_embeddings.weight");
    }

    /**
     * The attention bias {@code [1, heads, S, S]}: for query i and key j, the learned value of the bucket
     * of {@code j - i}. Buckets are tabulated here for every distance the positions allow and looked up
     * in the graph.
     */
    private static String positionBias(Layers layers, String ids, Encoder encoder, int buckets) {
        GraphBuilder graph = layers.graph;
        int span = encoder.positions();
        long[] table = new long[2 * span - 1];
        for (int i = 0; i < table.length; i++) {
            table[i] = bucket(i - (span - 1), buckets, MAX_DISTANCE);
        }
        String relative = layers.relativePositions(layers.dimension(ids, 1));
        String bucketOf = graph.node("Gather", List.of(graph.longs(table),
                graph.node("Add", List.of(relative, graph.longScalar(span - 1)))));
        String values = graph.node("Gather", List.of(layers.weights.weight(graph, "encoder.relative_attention_bias.weight",
                buckets, encoder.heads()), bucketOf));
        return graph.node("Unsqueeze", List.of(graph.node("Transpose", List.of(values), attribute("perm", 2L, 0L, 1L)),
                graph.longs(0)));
    }

    /**
     * T5's bidirectional bucket of a relative position (key minus query), in the float32 arithmetic
     * torch uses, so distances on a bucket boundary land where they do in transformers.
     */
    static long bucket(int relative, int buckets, int maxDistance) {
        int half = buckets / 2;
        long bucket = relative > 0 ? half : 0;
        int n = Math.abs(relative);
        int exact = half / 2;
        if (n < exact) {
            return bucket + n;
        }
        float log = (float) Math.log((float) n / exact);
        float scaled = log / (float) Math.log((double) maxDistance / exact) * (half - exact);
        return bucket + Math.min(exact + (long) scaled, half - 1);
    }

    private static Layers.PostNormNames names(int i) {
        String layer = "encoder.layer." + i + ".";
        return new Layers.PostNormNames(layer + "attention.attn.q", layer + "attention.attn.k", layer + "attention.attn.v",
                layer + "attention.attn.o", layer + "attention.LayerNorm", layer + "intermediate.dense",
                layer + "output.dense", layer + "output.LayerNorm");
    }
}
