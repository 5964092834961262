package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.Shared;
import dev.sentence4j.tokenize.BatchEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph cache: keys, eviction, and on a real cache folder with a real export (the tiny BERT written
 * by sentence-transformers 6), what it does with damaged entries, concurrent writers, dead writers'
 * leftovers and a full disk.
 */
class GraphCacheTest {
    private static final Path EXPORT = Shared.path("fixtures/st6/models/seed-bert-mean/onnx/model.onnx");
    /** Two texts of the fixture's vocabulary, the second padded. */
    private static final BatchEncoding BATCH = new BatchEncoding(new long[] {2, 500, 700, 900, 3, 2, 42, 3, 0, 0},
            new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, new long[10], 2, 5);

    @TempDir
    Path temp;

    /** The export's token embeddings for {@link #BATCH}, loaded as configured. */
    private static float[] run(RuntimeOptions runtime, GraphCache cache) {
        try (OnnxGraph graph = OnnxGraph.load(EXPORT, "last_hidden_state", 3, runtime, cache)) {
            return graph.run(BATCH).values();
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** What the cache's logger says while {@code action} runs. */
    private static List<String> warnings(Runnable action) {
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    messages.add(record.getMessage());
                }
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        List<Logger> loggers = List.of(Logger.getLogger(GraphCache.class.getName()), Logger.getLogger(OnnxGraph.class.getName()));
        loggers.forEach(logger -> logger.addHandler(handler));
        try {
            action.run();
        } finally {
            loggers.forEach(logger -> logger.removeHandler(handler));
        }
        return messages;
    }

    private static void flipBytes(Path file, long at) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate(64);
            channel.read(bytes, at);
            for (int i = 0; i < bytes.capacity(); i++) {
                bytes.put(i, (byte) ~bytes.get(i));
            }
            channel.write(bytes.flip(), at);
        }
    }

    /** Issue 24, item 3: flipped bytes in a cached weight file, or a cut graph, are found, said once, and built again. */
    @Test
    void aDamagedEntryIsBuiltAgainSayingSoOnce() throws IOException {
        RuntimeOptions runtime = new RuntimeOptions(1, temp);
        GraphCache cache = new GraphCache(temp.resolve("graphs"));
        float[] expected = run(new RuntimeOptions(1, null), null);
        assertThat(run(runtime, cache)).containsExactly(expected);
        Path entry = cache.entry(EXPORT);
        Path data = GraphCache.dataFiles(entry).get(0);

        flipBytes(data, Files.size(data) / 2);
        // Any write changes the time; set here so that the clock's granularity cannot hide it.
        laterModified(data);
        List<String> said = new ArrayList<>();
        said.addAll(warnings(() -> assertThat(run(runtime, cache)).containsExactly(expected)));
        said.addAll(warnings(() -> assertThat(run(runtime, cache)).containsExactly(expected)));

        assertThat(said).singleElement().asString()
                .contains("the cached graph " + entry + " is damaged").contains("does not match its checksum")
                .contains("building it again");

        try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(entry) / 2);
        }
        assertThat(warnings(() -> assertThat(run(runtime, cache)).containsExactly(expected)))
                .singleElement().asString().contains(entry.getFileName() + " has ");
        // One entry, whole, and nothing else.
        assertThat(names(temp.resolve("graphs"))).hasSize(5).contains(entry.getFileName().toString(),
                entry.getFileName() + ".sums", entry.getFileName() + ".checked", ".lock");
    }

    /**
     * Issue 26: a weight file keeping the size and time recorded when it was checksummed is not read again
     * on load; one whose time changed is checksummed, and its new time recorded once it matches. The list of
     * checksums keeps the form older versions read.
     */
    @Test
    void aWeightFileIsChecksummedOnlyWhenItsTimeChanged() throws IOException {
        RuntimeOptions runtime = new RuntimeOptions(1, temp);
        GraphCache cache = new GraphCache(temp.resolve("graphs"));
        float[] expected = run(new RuntimeOptions(1, null), null);
        assertThat(run(runtime, cache)).containsExactly(expected);
        Path entry = cache.entry(EXPORT);
        Path data = GraphCache.dataFiles(entry).get(0);
        Path sums = entry.resolveSibling(entry.getFileName() + ".sums");
        Path checked = entry.resolveSibling(entry.getFileName() + ".checked");
        String listed = Files.readString(sums);
        assertThat(listed.lines()).hasSize(2).allSatisfy(line -> assertThat(line.split(" ")).hasSize(3));
        assertThat(Files.readString(checked)).isEqualTo(Files.size(data) + " "
                + Files.getLastModifiedTime(data).to(TimeUnit.NANOSECONDS) + " " + data.getFileName() + "\n");

        // Bytes changed behind the cache's back, the time put back: trusted, not read, so no damage is seen
        // (where a checksum finds it: aDamagedEntryIsBuiltAgainSayingSoOnce).
        FileTime time = Files.getLastModifiedTime(data);
        flipBytes(data, Files.size(data) / 2);
        Files.setLastModifiedTime(data, time);
        String record = Files.readString(checked);
        assertThat(warnings(() -> run(runtime, cache))).isEmpty();
        assertThat(Files.readString(checked)).isEqualTo(record);
        assertThat(GraphCache.dataFiles(entry)).containsExactly(data);

        // The bytes restored under a new time (a copied cache): checksummed, whole, and its new time recorded.
        flipBytes(data, Files.size(data) / 2);
        laterModified(data);
        assertThat(warnings(() -> assertThat(run(runtime, cache)).containsExactly(expected))).isEmpty();
        assertThat(Files.readString(checked)).isNotEqualTo(record)
                .contains(" " + Files.getLastModifiedTime(data).to(TimeUnit.NANOSECONDS) + " ");

        // An entry written before times were recorded: checksummed, then recorded.
        Files.delete(checked);
        assertThat(warnings(() -> assertThat(run(runtime, cache)).containsExactly(expected))).isEmpty();
        assertThat(checked).exists();
        assertThat(Files.readString(sums)).isEqualTo(listed);
    }

    /** Moves a file's modification time a second on, as a write after the listing would. */
    private static void laterModified(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1000));
    }

    /** Issue 24, item 5: writers of one entry at once leave one copy; what dead writers left goes once it is old. */
    @Test
    void concurrentWritersLeaveOneEntryAndDeadWritersLeftoversGo() throws IOException {
        Path folder = temp.resolve("graphs");
        GraphCache cache = new GraphCache(folder);
        Path entry = cache.entry("a model");
        GraphCache.Pending first = cache.begin(entry);
        GraphCache.Pending second = cache.begin(entry);
        for (GraphCache.Pending writer : List.of(first, second)) {
            // What ONNX Runtime writes for each: the graph, naming its own weight file, and the weights.
            Files.writeString(writer.graph(), "graph naming " + writer.data().getFileName());
            Files.write(writer.data(), new byte[4096]);
        }
        Path dead = Files.write(folder.resolve(GraphCache.dataFileName(cache.entry("another model"))), new byte[10]);
        Path deadGraph = Files.createFile(cache.begin(entry).graph());
        Path alive = Files.write(folder.resolve(GraphCache.dataFileName(cache.entry("a third model"))), new byte[10]);
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - GraphCache.STALE.plus(Duration.ofMinutes(1)).toMillis());
        Files.setLastModifiedTime(dead, old);
        Files.setLastModifiedTime(deadGraph, old);

        cache.publish(first);
        cache.publish(second);

        assertThat(names(folder)).containsExactlyInAnyOrder(entry.getFileName().toString(), entry.getFileName() + ".sums",
                entry.getFileName() + ".checked", first.data().getFileName().toString(), alive.getFileName().toString(), ".lock");
        assertThat(Files.readString(entry)).isEqualTo("graph naming " + first.data().getFileName());
        assertThat(cache.usable(entry)).isTrue();
    }

    /**
     * Issue 24, item 7: when the cache's disk is full (ONNX Runtime's write fails, little room is left),
     * the graph runs from memory, the warning names the folder and the full disk, and nothing partial stays.
     */
    @Test
    void aFullDiskIsNamedAndTheGraphRunsFromMemory() throws IOException {
        Path folder = temp.resolve("graphs");
        GraphCache full = new GraphCache(folder, new GraphCache.Disk() {
            @Override
            public Path temporary(Path entry) {
                // Where no file can be made: ONNX Runtime's write fails as it would on a full disk.
                return entry.resolveSibling("no-room").resolve(entry.getFileName() + ".tmp");
            }

            @Override
            public long usableSpace(Path folder) {
                return 4096;
            }
        });
        float[] expected = run(new RuntimeOptions(1, null), null);

        List<String> said = warnings(() -> assertThat(run(new RuntimeOptions(1, temp), full)).containsExactly(expected));

        assertThat(said).singleElement().asString()
                .contains("is not cached: the disk holding " + folder + " is full (0.0 MB free")
                .contains("runs from memory")
                .doesNotContain(".cc:");
        assertThat(names(folder)).allMatch(name -> name.equals(".lock") || !name.startsWith("."))
                .noneMatch(name -> name.endsWith(".data") || name.endsWith(".tmp") || name.endsWith(".onnx"));
    }

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
            // ONNX Runtime writes the optimized graph to the temporary name, its weights beside it.
            GraphCache.Pending pending = cache.begin(entry);
            Files.createFile(pending.graph());
            Files.write(pending.data(), new byte[1]);
            cache.publish(pending);
            Files.setLastModifiedTime(entry, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        GraphCache.touch(temp.resolve("graphs/entry3.onnx"));

        GraphCache.Pending last = cache.begin(temp.resolve("graphs/last.onnx"));
        Files.createFile(last.graph());
        cache.publish(last);

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
