/**
 * The transformer: runs a model's ONNX graph with ONNX Runtime on a tokenized batch and returns its
 * token embeddings, {@code [batch, tokens, hidden]}.
 */
package dev.sentence4j.transformer;
