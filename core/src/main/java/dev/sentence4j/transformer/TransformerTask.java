package dev.sentence4j.transformer;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a Transformer module's model does, as {@code transformer_task} in {@code sentence_bert_config.json}
 * says (since 6.x; older folders are all feature extraction), with the graph output each reads by default
 * and the feature it gives the next module.
 */
public enum TransformerTask {
    /** The hidden states: token embeddings. */
    FEATURE_EXTRACTION("feature-extraction", "last_hidden_state", "token_embeddings"),
    /** A masked-language-model head: one logit per vocabulary entry per token (SPLADE). */
    FILL_MASK("fill-mask", "logits", "token_embeddings"),
    /** A classification head: scores per text or pair (cross-encoders). */
    SEQUENCE_CLASSIFICATION("sequence-classification", "logits", "scores"),
    /** A causal language model's next-token logits. */
    TEXT_GENERATION("text-generation", "logits", "causal_logits"),
    /** A multimodal causal language model's next-token logits. */
    ANY_TO_ANY("any-to-any", "logits", "causal_logits"),
    /** A {@code *ForRetrieval} model's embeddings. */
    RETRIEVAL("retrieval", "embeddings", "token_embeddings");

    private final String configName;
    private final String graphOutput;
    private final String feature;

    TransformerTask(String configName, String graphOutput, String feature) {
        this.configName = configName;
        this.graphOutput = graphOutput;
        this.feature = feature;
    }

    /** The name {@code transformer_task} gives the task. */
    public String configName() {
        return configName;
    }

    /** The model output the task reads unless {@code modality_config} names another. */
    String graphOutput() {
        return graphOutput;
    }

    /** The rank of the graph output the task reads: 2 for {@code [batch, scores]}, else 3, one vector per token. */
    int outputRank() {
        return feature.equals("scores") ? 2 : 3;
    }

    /** The feature the module gives the next one ({@code token_embeddings}, {@code scores}). */
    public String feature() {
        return feature;
    }

    static Optional<TransformerTask> of(String configName) {
        return Arrays.stream(values()).filter(t -> t.configName.equals(configName)).findFirst();
    }
}
