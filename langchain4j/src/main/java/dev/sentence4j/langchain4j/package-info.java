/**
 * sentence4j for LangChain4j: {@link dev.sentence4j.langchain4j.Sentence4jEmbeddingModel}, an
 * {@code EmbeddingModel} that runs any sentence-transformers model in process.
 */
package dev.sentence4j.langchain4j;
