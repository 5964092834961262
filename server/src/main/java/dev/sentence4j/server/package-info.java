/**
 * An HTTP server for one sentence4j model, a drop-in for Hugging Face Text Embeddings Inference
 * ({@code /embed}, {@code /similarity}, {@code /tokenize}, {@code /info}, {@code /health},
 * {@code /metrics}) and for the OpenAI embeddings API ({@code /v1/embeddings}). Requests from many
 * clients are merged into batches under a token budget and split back, so the model sees full batches.
 * Start one with {@link dev.sentence4j.server.EmbeddingServer#start}.
 */
package dev.sentence4j.server;
