/**
 * The parts of a multi-vector (late-interaction, ColBERT) model besides its projection and Normalize: what
 * a query or a document is ({@link dev.sentence4j.multivector.TextRole}); its input module, the Transformer
 * with a tokenizer per role, the per-role lengths and query expansion
 * ({@link dev.sentence4j.multivector.MultiVectorTransformer}); the {@code MultiVectorMask} module that picks
 * which tokens' vectors are scored; and the token pooling modules that shorten a text's vectors
 * ({@link dev.sentence4j.multivector.TokenPooling}, {@code HierarchicalTokenPooling}). Scoring itself is in
 * {@code dev.sentence4j.similarity}.
 */
package dev.sentence4j.multivector;
