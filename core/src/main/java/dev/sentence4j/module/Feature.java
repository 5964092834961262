package dev.sentence4j.module;

/** What a module reads or gives, as sentence-transformers names the entries of its features dictionary. */
public enum Feature {
    /** One vector per token ({@code token_embeddings}) from a feature-extraction transformer. */
    TOKEN_EMBEDDINGS("token_embeddings", "token vectors"),
    /** One score per vocabulary entry per token, from a fill-mask transformer's masked-LM head. */
    TOKEN_LOGITS("token_embeddings (masked-LM logits)", "token logits"),
    /** One vector per text ({@code sentence_embedding}); a sparse encoder's holds one weight per vocabulary entry. */
    SENTENCE_EMBEDDING("sentence_embedding", "vectors"),
    /** One score per label per input, from a sequence-classification head. */
    SCORES("scores", "scores"),
    /**
     * A causal language model's logits at each input's last position ({@code causal_logits}), of the
     * vocabulary rows the module after it reads.
     */
    CAUSAL_LOGITS("causal_logits", "last-position logits");

    private final String label;
    private final String plural;

    Feature(String label, String plural) {
        this.label = label;
        this.plural = plural;
    }

    /** The name sentence-transformers gives the entry. */
    public String label() {
        return label;
    }

    /** How a message names values of this kind ("token vectors"). */
    public String plural() {
        return plural;
    }
}
