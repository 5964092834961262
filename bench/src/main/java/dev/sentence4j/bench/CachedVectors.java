package dev.sentence4j.bench;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.io.Npy;
import dev.sentence4j.io.TextLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Vectors of a list of texts, encoded once and kept as {@code NAME.txt} and {@code NAME.npy} in a
 * folder: a later run with the same texts reads them back instead of encoding for minutes.
 */
final class CachedVectors {
    private static final int CHUNK = 2048;

    private CachedVectors() {}

    static float[][] get(Path folder, String name, List<String> texts, Function<List<String>, float[][]> encode)
            throws IOException {
        Path textFile = folder.resolve(name + ".txt");
        Path vectorFile = folder.resolve(name + ".npy");
        boolean present = Files.isRegularFile(textFile) && Files.isRegularFile(vectorFile);
        if (present && TextLines.read(textFile).equals(texts)) {
            float[][] cached = Npy.read(vectorFile);
            if (cached.length == texts.size()) {
                System.err.printf(Locale.ROOT, "read %d cached vectors from %s%n", cached.length, vectorFile);
                return cached;
            }
        }
        Files.createDirectories(folder);
        float[][] vectors = new float[texts.size()][];
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += CHUNK) {
            int to = Math.min(texts.size(), from + CHUNK);
            float[][] chunk = encode.apply(texts.subList(from, to));
            System.arraycopy(chunk, 0, vectors, from, chunk.length);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "encoded %d of %d %s texts (%.0f texts/s)%n", to, texts.size(), name,
                    to / seconds);
        }
        Npy.write(vectorFile, vectors);
        Files.write(textFile, texts, StandardCharsets.UTF_8);
        return vectors;
    }

    /** The cache folder's name for a model: its id's last part. */
    static String modelName(SentenceTransformer model) {
        return Path.of(model.name()).getFileName().toString();
    }
}
