/**
 * A model as sentence-transformers runs it: a pipeline of modules over one {@link dev.sentence4j.module.Features}
 * value. An {@link dev.sentence4j.module.InputModule} (a Transformer, a static token table) tokenizes and
 * starts the features of its branch; each {@link dev.sentence4j.module.FeatureModule} (pooling, Dense,
 * Normalize, ...) turns them into the next; a {@link dev.sentence4j.module.Router} holds one pipeline per
 * route. Internal: the model families are the API.
 */
package dev.sentence4j.module;
