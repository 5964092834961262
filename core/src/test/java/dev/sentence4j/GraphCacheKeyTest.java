package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of graphs built from a checkpoint is keyed by the options and the configuration as well as
 * the weight files: after the other variants have filled the cache, each variant loaded from it gives
 * what the same variant gives built afresh without a cache, never a neighbour's graph.
 */
class GraphCacheKeyTest {
    private static final List<String> TEXTS = List.of("A man is playing a guitar.", "The cat sleeps on the mat.",
            "Stocks fell sharply on Monday.");

    @TempDir
    Path temp;

    @Test
    void int8AndAChangedConfigurationEachGetTheirOwnEntry() throws IOException {
        Path original = copyWithoutOnnx(Shared.path("fixtures/st6/models/seed-bert-mean"), temp.resolve("original"));
        // The same weight files (same bytes, same modification time): only config.json differs.
        Path changed = copyWithoutOnnx(original, temp.resolve("changed"));
        Path config = changed.resolve("config.json");
        String json = Files.readString(config, StandardCharsets.UTF_8);
        assertThat(json).contains("\"layer_norm_eps\": 1e-12");
        Files.writeString(config, json.replace("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": 1.0"), StandardCharsets.UTF_8);

        LoadOptions uncached = LoadOptions.defaults().withCacheDirectory(null);
        float[][] float32 = encode(original, uncached);
        float[][] int8 = encode(original, uncached.withQuantized(true));
        float[][] otherConfig = encode(changed, uncached);
        // The variants differ, so a shared entry would show.
        assertThat(distance(float32, int8)).as("int8 against float32").isGreaterThan(1e-3);
        assertThat(distance(float32, otherConfig)).as("layer_norm_eps 1.0 against 1e-12").isGreaterThan(1e-3);

        Path cache = temp.resolve("cache");
        LoadOptions cached = LoadOptions.defaults().withCacheDirectory(cache);
        VectorAssertions.assertClose(encode(original, cached), float32, 1e-5);
        assertThat(entries(cache)).hasSize(1);
        VectorAssertions.assertClose(encode(original, cached.withQuantized(true)), int8, 1e-5);
        assertThat(entries(cache)).as("int8 has its own entry").hasSize(2);
        VectorAssertions.assertClose(encode(changed, cached), otherConfig, 1e-5);
        assertThat(entries(cache)).as("the changed configuration has its own entry").hasSize(3);
        // And each is found again: no fourth entry, the same vectors.
        VectorAssertions.assertClose(encode(original, cached), float32, 1e-5);
        VectorAssertions.assertClose(encode(original, cached.withQuantized(true)), int8, 1e-5);
        assertThat(entries(cache)).hasSize(3);
    }

    private static float[][] encode(Path folder, LoadOptions options) {
        try (SentenceTransformer model = SentenceTransformer.load(folder.toString(), options.withCheckpoint(true))) {
            assertThat(model.transformer().builtFromCheckpoint()).isTrue();
            return model.encode(TEXTS);
        }
    }

    private static double distance(float[][] a, float[][] b) {
        double largest = 0;
        for (int row = 0; row < a.length; row++) {
            for (int i = 0; i < a[row].length; i++) {
                largest = Math.max(largest, Math.abs(a[row][i] - b[row][i]));
            }
        }
        return largest;
    }

    private static List<Path> entries(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("graphs"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".onnx")).toList();
        }
    }

    private static Path copyWithoutOnnx(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = source.relativize(file);
                if (!relative.startsWith("onnx")) {
                    Files.createDirectories(target.resolve(relative).getParent());
                    Files.copy(file, target.resolve(relative));
                    Files.setLastModifiedTime(target.resolve(relative), Files.getLastModifiedTime(file));
                }
            }
        }
        return target;
    }
}
