package dev.sentence4j.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code ../shared} folder beside the checkout: data and reference vectors. */
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

    static List<String> lines(String relative) {
        try {
            return Files.readAllLines(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
