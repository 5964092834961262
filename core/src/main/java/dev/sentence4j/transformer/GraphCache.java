package dev.sentence4j.transformer;

import dev.sentence4j.files.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Optimized ONNX graphs kept on disk, so a model optimizes once per machine rather than on every load.
 * An entry is keyed by what the source file holds (its size, modification time, first and last bytes)
 * rather than where it lies, so copies in new folders share it; and by the ONNX Runtime version and
 * the processor, since a fully optimized graph may use instructions only that processor has. The
 * least recently used entries beyond {@link #KEEP} are removed.
 */
final class GraphCache {
    static final int KEEP = 8;
    private static final int SAMPLE = 1 << 16;

    private final Path folder;

    GraphCache(Path folder) {
        this.folder = folder;
    }

    /** Where the optimized graph of this source file lives, whether or not it exists yet. */
    Path entry(Path source) throws IOException {
        return entry(fingerprint(source));
    }

    /**
     * Where the optimized graph built from what {@code key} describes lives, whether or not it exists
     * yet; the key must change whenever the graph would (see {@link #fingerprint}).
     */
    Path entry(String key) {
        MessageDigest digest = sha256();
        digest.update((key + "|" + OnnxGraph.environment().getVersion() + "|" + Cpu.fingerprint())
                .getBytes(StandardCharsets.UTF_8));
        return folder.resolve(HexFormat.of().formatHex(digest.digest()) + ".onnx");
    }

    /**
     * What a file holds, in brief: its size, modification time, and a digest of its first and last
     * bytes. Cheap for any size, and changed by any rewrite in practice.
     */
    static String fingerprint(Path file) throws IOException {
        MessageDigest digest = sha256();
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            digest.update(read(channel, 0, (int) Math.min(SAMPLE, size)));
            digest.update(read(channel, Math.max(0, size - SAMPLE), (int) Math.min(SAMPLE, size)));
        }
        return size + "|" + Files.getLastModifiedTime(file).toMillis() + "|" + HexFormat.of().formatHex(digest.digest());
    }

    /** Marks an entry as just used, so it outlives entries unused for longer. */
    static void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // Only the eviction order suffers.
        }
    }

    /** A fresh temporary name beside the entry, for ONNX Runtime to write to; moved into place once complete. */
    Path temporary(Path entry) throws IOException {
        Files.createDirectories(folder);
        return AtomicFile.temporaryBeside(entry);
    }

    /**
     * Moves a complete temporary file into place (a concurrent writer of the same entry wrote the same
     * bytes), then removes the least recently used entries beyond {@link #KEEP}.
     */
    void publish(Path temporary, Path entry) throws IOException {
        AtomicFile.moveIntoPlace(temporary, entry);
        List<Path> entries;
        try (Stream<Path> files = Files.list(folder)) {
            entries = files.filter(p -> p.getFileName().toString().endsWith(".onnx"))
                    .sorted(Comparator.comparing(GraphCache::lastModified).reversed())
                    .toList();
        }
        for (Path old : entries.subList(Math.min(KEEP, entries.size()), entries.size())) {
            Files.deleteIfExists(old);
            for (Path data : dataFiles(old)) {
                Files.deleteIfExists(data);
            }
        }
    }

    /**
     * A name for the file beside the entry that the graph's weights go to as it is saved, found again by
     * {@link #dataFiles}: unique to this writer, so concurrent writers of one entry never share it. The
     * saved graph names it, so it keeps this name once the graph is moved into place.
     */
    static String dataFileName(Path entry) {
        return entry.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".data";
    }

    /** The weight files written for an entry by {@link #dataFileName}, its own and any a concurrent writer left. */
    static List<Path> dataFiles(Path entry) throws IOException {
        String prefix = entry.getFileName().toString();
        try (Stream<Path> files = Files.list(entry.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".data"))
                    .toList();
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static byte[] read(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        // A channel may read less than asked: go on until the sample is full or the file ends.
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
