/**
 * Modules applied to sentence vectors after pooling, as sentence-transformers' {@code Dense},
 * {@code LayerNorm} and {@code Normalize}; each reads its own folder.
 */
package dev.sentence4j.layer;
