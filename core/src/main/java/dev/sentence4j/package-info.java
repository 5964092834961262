/**
 * sentence4j: sentence embeddings and semantic similarity for the JVM. {@link
 * dev.sentence4j.SentenceTransformer} runs a whole model; the packages below hold each stage of its
 * pipeline for use on its own: {@code model} (files and configuration), {@code tokenize},
 * {@code transformer}, {@code pool}, {@code layer} (Dense, LayerNorm, Normalize), {@code similarity}.
 * {@code search} (semantic search, paraphrase mining, communities) and {@code evaluation} work on the
 * vectors it makes.
 */
package dev.sentence4j;
