/**
 * The parts of a multi-vector (late-interaction, ColBERT) model besides its transformer: what a query or
 * a document is ({@link dev.sentence4j.multivector.TextRole}), the per-role lengths and query expansion
 * its Transformer module is configured with, and the {@code MultiVectorMask} module that picks which
 * tokens' vectors are scored. Scoring itself is in {@code dev.sentence4j.similarity}.
 */
package dev.sentence4j.multivector;
