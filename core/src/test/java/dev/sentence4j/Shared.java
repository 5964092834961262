package dev.sentence4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code ../shared} folder beside the checkout: real model configs, data and reference vectors. */
public final class Shared {
    public static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";
    public static final String BGE = "BAAI/bge-small-en-v1.5";

    private Shared() {}

    public static Path root() {
        Path root = Path.of(System.getProperty("sentence4j.shared", "../shared"));
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the shared folder " + root.toAbsolutePath()
                    + " is missing; tests read reference data from it (set -Dsentence4j.shared)");
        }
        return root;
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** The lines of a UTF-8 text file. */
    public static List<String> lines(String relative) {
        try {
            return Files.readAllLines(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The texts of a reference set; the seed sentences live with the data, not the reference vectors. */
    public static List<String> referenceTexts(String set) {
        return lines(set.equals("seed-sentences") ? "data/seed-sentences.txt" : "reference/" + set + ".txt");
    }

    /** The folder name both shared/models and shared/reference use for a model id. */
    public static String shortName(String modelId) {
        return modelId.substring(modelId.indexOf('/') + 1);
    }
}
