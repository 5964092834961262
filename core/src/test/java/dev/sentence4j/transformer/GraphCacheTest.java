package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCacheTest {
    @TempDir
    Path temp;

    @Test
    void copiesOfAFileShareAnEntryWhileOtherContentGetsItsOwn() throws IOException {
        GraphCache cache = new GraphCache(temp.resolve("graphs"));
        Path original = Files.write(temp.resolve("a.onnx"), new byte[300_000]);
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere")).resolve("model.onnx");
        Files.createLink(elsewhere, original);
        byte[] changed = new byte[300_000];
        changed[299_999] = 1;
        Path other = Files.write(temp.resolve("b.onnx"), changed);
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(original));

        assertThat(cache.entry(elsewhere)).isEqualTo(cache.entry(original));
        assertThat(cache.entry(other)).isNotEqualTo(cache.entry(original));
    }

    @Test
    void keepsOnlyTheMostRecentlyUsedEntries() throws IOException {
        GraphCache cache = new GraphCache(temp.resolve("graphs"));
        for (int i = 0; i < GraphCache.KEEP + 3; i++) {
            Path entry = temp.resolve("graphs").resolve("entry" + i + ".onnx");
            // ONNX Runtime writes the optimized graph to the temporary name.
            Path partial = Files.createFile(cache.temporary(entry));
            Files.write(entry.resolveSibling(GraphCache.dataFileName(entry)), new byte[1]);
            Files.setLastModifiedTime(partial, FileTime.fromMillis(1_000_000L * (i + 1)));
            cache.publish(partial, entry);
            Files.setLastModifiedTime(entry, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        GraphCache.touch(temp.resolve("graphs/entry3.onnx"));

        cache.publish(Files.createFile(cache.temporary(temp.resolve("graphs/last.onnx"))), temp.resolve("graphs/last.onnx"));

        try (Stream<Path> files = Files.list(temp.resolve("graphs"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".onnx")).toList())
                    .hasSize(GraphCache.KEEP)
                    .contains("entry3.onnx", "last.onnx", "entry10.onnx")
                    .doesNotContain("entry0.onnx", "entry4.onnx");
        }
        // An evicted entry's weight file goes with it.
        assertThat(GraphCache.dataFiles(temp.resolve("graphs/entry0.onnx"))).isEmpty();
        assertThat(GraphCache.dataFiles(temp.resolve("graphs/entry3.onnx"))).hasSize(1);
        try (Stream<Path> files = Files.list(temp.resolve("graphs"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".data"))).hasSize(GraphCache.KEEP - 1);
        }
    }
}
