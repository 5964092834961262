/**
 * Model folders: where a model's files are found (a local folder laid out as a Hugging Face
 * sentence-transformers repository, a built-in model, or a Hub model in the Hugging Face cache) and
 * what its configuration files say.
 */
package dev.sentence4j.model;
