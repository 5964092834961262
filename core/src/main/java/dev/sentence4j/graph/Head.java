package dev.sentence4j.graph;

/** What the graph computes on top of the base model, as the Hugging Face task class would. */
public enum Head {
    /** The base model ({@code AutoModel}): output {@code last_hidden_state} {@code [batch, tokens, hidden]}. */
    NONE("last_hidden_state"),
    /** {@code *ForSequenceClassification}, as a cross-encoder uses it: output {@code logits} {@code [batch, labels]}. */
    SEQUENCE_CLASSIFICATION("logits"),
    /** {@code *ForMaskedLM}, as a SPLADE sparse encoder uses it: output {@code logits} {@code [batch, tokens, vocabulary]}. */
    MASKED_LM("logits"),
    /**
     * {@code *ForCausalLM} read at the last position, as a LogitScore reranker reads it (inputs left
     * padded, so the last column is every sequence's last token): output {@code logits}
     * {@code [batch, rows]}, the language-model head's rows that the recipe names, or the whole
     * vocabulary when it names none.
     */
    CAUSAL_LM("logits");

    private final String output;

    Head(String output) {
        this.output = output;
    }

    /** The graph output's name, as the fixtures' ONNX exports have it. */
    public String output() {
        return output;
    }
}
