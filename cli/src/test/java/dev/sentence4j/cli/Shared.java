package dev.sentence4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the {@code ../shared} folder beside the checkout: data, model configs and reference vectors. */
final class Shared {
    static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";
    static final String BGE = "BAAI/bge-small-en-v1.5";

    private Shared() {}

    static Path path(String relative) {
        Path root = Path.of(System.getProperty("sentence4j.shared", "../shared"));
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the shared folder " + root.toAbsolutePath()
                    + " is missing; tests read reference data from it (set -Dsentence4j.shared)");
        }
        return root.resolve(relative);
    }

    /** As a command-line argument. */
    static String arg(String relative) {
        return path(relative).toString();
    }
}
