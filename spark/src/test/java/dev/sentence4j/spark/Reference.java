package dev.sentence4j.spark;

import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The STSb dev sample and its all-MiniLM-L6-v2 vectors from {@code ../shared/reference}. */
final class Reference {
    static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    /** The agreement the reference README promises. */
    static final double TOLERANCE = 1e-5;

    private Reference() {}

    static Path sentencesFile() {
        return folder().resolve("stsb-dev-sample.txt");
    }

    static List<String> sentences() {
        try {
            return Files.readAllLines(sentencesFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[][] vectors() {
        try {
            return Npy.read(folder().resolve("stsb-dev-sample.all-MiniLM-L6-v2.npy"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path folder() {
        Path root = Path.of(System.getProperty("sentence4j.shared", "../shared"));
        Path folder = root.resolve("reference");
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException(folder.toAbsolutePath()
                    + " is missing; tests read reference data from it (set -Dsentence4j.shared)");
        }
        return folder;
    }
}
