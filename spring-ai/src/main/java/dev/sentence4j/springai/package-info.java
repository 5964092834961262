/**
 * sentence4j for Spring AI: {@link dev.sentence4j.springai.Sentence4jEmbeddingModel}, an
 * {@code EmbeddingModel} that runs any sentence-transformers model in process, and
 * {@link dev.sentence4j.springai.Sentence4jAutoConfiguration}, which builds it from {@code sentence4j.*}
 * properties.
 */
package dev.sentence4j.springai;
