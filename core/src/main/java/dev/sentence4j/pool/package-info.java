/** The {@code Pooling} module: turns a text's token embeddings into one sentence vector, as its {@code config.json} says. */
package dev.sentence4j.pool;
