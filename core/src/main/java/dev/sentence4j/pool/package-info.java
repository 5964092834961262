/** Pooling: turns a text's token embeddings into one sentence vector, as the model's {@code 1_Pooling/config.json} says. */
package dev.sentence4j.pool;
