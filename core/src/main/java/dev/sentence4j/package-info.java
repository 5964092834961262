/**
 * sentence4j: sentence embeddings, reranking and semantic similarity for the JVM. The three model
 * families of sentence-transformers each run a whole model: {@link dev.sentence4j.SentenceTransformer}
 * (one vector per text), {@link dev.sentence4j.CrossEncoder} (a score per pair of texts, for reranking)
 * and {@link dev.sentence4j.SparseEncoder} (one sparse SPLADE vector per text). The packages below hold
 * each stage of their pipelines for use on its own: {@code model} (files and configuration),
 * {@code tokenize}, {@code transformer}, {@code pool} (Pooling, SpladePooling), {@code layer} (Dense,
 * LayerNorm, Normalize), {@code similarity}. {@code search} (semantic search, retrieve and rerank,
 * paraphrase mining, communities) and {@code evaluation} work on what they make.
 */
package dev.sentence4j;
