/**
 * Layers applied to sentence vectors after pooling, as sentence-transformers' {@code Dense},
 * {@code LayerNorm} and {@code Normalize} modules.
 */
package dev.sentence4j.layer;
