/**
 * Models from the Hugging Face Hub: a repository's files at a revision, downloaded once into the cache
 * that Python's {@code huggingface_hub} keeps ({@code models--org--name/blobs}, {@code snapshots},
 * {@code refs}), so that either can reuse what the other downloaded, and read from there afterwards,
 * offline too. {@link dev.sentence4j.hub.Hub} holds the settings and opens a
 * {@link dev.sentence4j.hub.RepoSnapshot}.
 */
package dev.sentence4j.hub;
