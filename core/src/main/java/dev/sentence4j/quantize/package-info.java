/** Quantization: sentence vectors stored in fewer bits (int8, uint8, packed binary), as sentence-transformers' {@code quantize_embeddings}. */
package dev.sentence4j.quantize;
