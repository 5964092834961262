/**
 * sentence4j for LangChain4j: {@link dev.sentence4j.langchain4j.Sentence4jEmbeddingModel}, an
 * {@code EmbeddingModel} that runs any sentence-transformers model in process, and
 * {@link dev.sentence4j.langchain4j.Sentence4jScoringModel}, a {@code ScoringModel} that runs its
 * cross-encoders (rerankers).
 */
package dev.sentence4j.langchain4j;
