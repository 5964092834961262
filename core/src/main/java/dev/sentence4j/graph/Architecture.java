package dev.sentence4j.graph;

/** One {@code model_type}: turns its {@code config.json} and checkpoint into the forward pass. */
interface Architecture {
    /**
     * Adds the graph's inputs, the forward pass and the head's output named {@link Head#output()}.
     *
     * @throws IllegalArgumentException naming the field when the configuration asks for something not
     *     implemented, or the tensor when the checkpoint lacks one
     */
    void build(Layers layers, ModelJson config, Head head);
}
