/** Normalization: scales sentence vectors to unit length, the {@code Normalize} module of sentence-transformers. */
package dev.sentence4j.normalize;
