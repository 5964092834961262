/**
 * Model folders: where a model's files are found (a local folder laid out as a Hugging Face
 * sentence-transformers repository, a built-in model, or a Hub model in the Hugging Face cache),
 * {@code modules.json} (which module types, in which folders) and {@code config_sentence_transformers.json}
 * (the model's family, prompts and similarity). Each module class reads its own folder through
 * {@link dev.sentence4j.model.ModuleFolder}; nothing here knows what a module's configuration means.
 */
package dev.sentence4j.model;
