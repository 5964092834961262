/**
 * The pooling modules: {@code Pooling} turns a text's token embeddings into one sentence vector, and a
 * sparse encoder's {@code SpladePooling} its masked-LM logits into one weight per vocabulary entry, each
 * as its {@code config.json} says.
 */
package dev.sentence4j.pool;
