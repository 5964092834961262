/**
 * The {@code Transformer} module: the model's tokenizer and its ONNX graph, run with ONNX Runtime on a
 * tokenized batch, giving token embeddings {@code [batch, tokens, hidden]}.
 */
package dev.sentence4j.transformer;
