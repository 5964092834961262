/**
 * An HTTP server for sentence4j models, one or several, a drop-in for Hugging Face Text Embeddings
 * Inference ({@code /embed}, {@code /embed_all}, {@code /similarity}, {@code /rerank}, {@code /predict},
 * {@code /embed_sparse}, {@code /tokenize}, {@code /decode}, {@code /info}, {@code /health},
 * {@code /metrics}), for the OpenAI embeddings API ({@code /v1/embeddings}, {@code /v1/models}) and for
 * the Cohere/Jina rerank API ({@code /v1/rerank}), and TEI's gRPC API ({@code tei.v1}, generated from
 * TEI's proto into {@code dev.sentence4j.server.grpc.tei}) on a second port, each gRPC message run
 * through the HTTP route it matches. Requests from many
 * clients are merged into batches under a token budget and split back, so the model sees full batches.
 * Start one with {@link dev.sentence4j.server.EmbeddingServer#start}.
 */
package dev.sentence4j.server;
