/**
 * Model folders: where a model's files are found (a local folder laid out as a Hugging Face
 * sentence-transformers repository, or a built-in model) and what its configuration files say.
 */
package dev.sentence4j.model;
