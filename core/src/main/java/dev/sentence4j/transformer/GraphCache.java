package dev.sentence4j.transformer;

import dev.sentence4j.files.AtomicFile;
import dev.sentence4j.files.CacheLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Optimized ONNX graphs kept on disk, so a model optimizes once per machine rather than on every load.
 * An entry is keyed by what the source file holds (its size, modification time, first and last bytes)
 * rather than where it lies, so copies in new folders share it; and by the ONNX Runtime version and
 * the processor, since a fully optimized graph may use instructions only that processor has. The
 * least recently used entries beyond {@link #KEEP} are removed.
 *
 * <p>An entry is its graph ({@code KEY.onnx}), the weight file a built graph names beside it, and,
 * written last, a list of both files' sizes and CRC-32C checksums ({@code KEY.onnx.sums}). An entry is
 * used only when both files match the list: a damaged or half-written one (bytes flipped, cut short, no
 * list) is removed and built again. Writers fill files of their own and publish under a lock on the
 * folder, so that concurrent first loads leave one entry; files that a crashed writer left are removed
 * once they are an hour old.
 *
 * <p>The weight file, nearly all of an entry's bytes, is checksummed when it is listed, and its size and
 * modification time are recorded then ({@code KEY.onnx.checked}): while it keeps both it is trusted without
 * reading it again, since checksumming a model's weights on every load would cost a good part of a short
 * command's start-up (BENCHMARKS.md). Any write changes the time, and a file whose time has changed (a
 * copied cache, say) is checksummed again and its new time recorded when it matches. The small graph file,
 * whose time marks the entry's last use, is checksummed on every load.
 */
final class GraphCache {
    static final int KEEP = 8;
    /** No load writes its graph for this long: an older temporary or weight file that no entry lists is a dead writer's. */
    static final Duration STALE = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(GraphCache.class.getName());
    private static final int SAMPLE = 1 << 16;
    private static final String SUMS = ".sums";
    private static final String CHECKED = ".checked";
    private static final String LOCK = ".lock";

    /**
     * The disk under the cache: where ONNX Runtime writes an entry and how much room is left. Tests stand
     * in a full disk for it.
     */
    interface Disk {
        Disk REAL = new Disk() { };

        /** A fresh name beside the entry for ONNX Runtime to write the graph to. */
        default Path temporary(Path entry) {
            return AtomicFile.temporaryBeside(entry);
        }

        /** Bytes free for the cache on the folder's file system. */
        default long usableSpace(Path folder) throws IOException {
            return Files.getFileStore(folder).getUsableSpace();
        }
    }

    /**
     * An entry being written.
     *
     * @param entry where it goes
     * @param graph the temporary file ONNX Runtime writes the graph to
     * @param data the file ONNX Runtime writes a built graph's weights to, under its final name
     */
    record Pending(Path entry, Path graph, Path data) {}

    private final Path folder;
    private final Disk disk;

    GraphCache(Path folder) {
        this(folder, Disk.REAL);
    }

    GraphCache(Path folder, Disk disk) {
        this.folder = folder;
        this.disk = disk;
    }

    /** The folder the entries are in. */
    Path folder() {
        return folder;
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

    /**
     * Whether the entry is there and whole, its files matching their checksums; a damaged entry is
     * removed, saying so, so that the caller builds it again.
     */
    boolean usable(Path entry) throws IOException {
        if (!Files.exists(entry)) {
            return false;
        }
        Check check = check(entry);
        if (check.damage().isEmpty()) {
            touch(entry);
            check.times().ifPresent(times -> recordChecked(entry, times));
            return true;
        }
        // A writer may be between moving its graph into place and listing its checksums: look again under its lock.
        try (CacheLock lock = lock()) {
            Optional<String> damage = check(entry).damage();
            if (damage.isEmpty()) {
                return true;
            }
            if (Files.exists(entry)) {
                LOG.log(System.Logger.Level.WARNING, "the cached graph " + entry + " is damaged (" + damage.get()
                        + "); building it again");
                remove(entry);
            }
            return false;
        }
    }

    /** Starts writing an entry: names for ONNX Runtime's files, in the cache folder. */
    Pending begin(Path entry) throws IOException {
        Files.createDirectories(folder);
        return new Pending(entry, disk.temporary(entry), entry.resolveSibling(dataFileName(entry)));
    }

    /**
     * Puts a complete entry in place, its checksums listed last; if a concurrent writer put the same entry
     * first, keeps that one and removes this one's files. Then removes the least recently used entries
     * beyond {@link #KEEP} and files of dead writers.
     *
     * @throws IOException when it cannot be written (nothing of it is left behind)
     */
    void publish(Pending pending) throws IOException {
        Path entry = pending.entry();
        try (CacheLock lock = lock()) {
            if (Files.exists(entry) && check(entry).damage().isEmpty()) {
                discard(pending);
                return;
            }
            try {
                remove(entry);
                AtomicFile.moveIntoPlace(pending.graph(), entry);
                List<Path> files = new ArrayList<>(List.of(entry));
                if (Files.exists(pending.data())) {
                    files.add(pending.data());
                }
                // The times before the checksums: a write while they are computed leaves a time that no longer matches.
                String checked = checkedRecord(entry, files);
                writeSums(entry, files);
                writeChecked(entry, checked);
            } catch (IOException | RuntimeException e) {
                discard(pending);
                removeQuietly(entry);
                throw e;
            }
            evict();
            removeDeadWriters();
        }
    }

    /** Removes what a writer wrote of an entry it will not publish. */
    void discard(Pending pending) {
        deleteQuietly(pending.graph());
        deleteQuietly(pending.data());
    }

    /**
     * Why an entry could not be written, in the user's terms: a full disk by name, else ONNX Runtime's
     * or the file system's reason.
     *
     * @param needed about how many bytes the entry takes
     */
    String whyNotWritten(String reason, long needed) {
        try {
            long free = disk.usableSpace(Files.exists(folder) ? folder : folder.getParent());
            if (free < needed) {
                return "the disk holding " + folder + " is full (" + megabytes(free) + " free, about " + megabytes(needed)
                        + " needed)";
            }
        } catch (IOException | RuntimeException e) {
            // Then the reason given is all there is to say.
        }
        return "cannot write in " + folder + ": " + reason;
    }

    /** Marks an entry as just used, so it outlives entries unused for longer. */
    static void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // Only the eviction order suffers.
        }
    }

    /**
     * A name for the file beside the entry that the graph's weights go to as it is saved: unique to this
     * writer, so concurrent writers of one entry never share it. The saved graph names it, so it keeps
     * this name once the graph is moved into place.
     */
    static String dataFileName(Path entry) {
        return entry.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".data";
    }

    /** The weight files written for an entry by {@link #dataFileName}, its own and any another writer left. */
    static List<Path> dataFiles(Path entry) throws IOException {
        String prefix = entry.getFileName().toString();
        try (Stream<Path> files = Files.list(entry.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".data"))
                    .toList();
        }
    }

    private CacheLock lock() throws IOException {
        return CacheLock.acquire(folder.resolve(LOCK), "writing a graph to " + folder);
    }

    private static Path sums(Path entry) {
        return entry.resolveSibling(entry.getFileName() + SUMS);
    }

    /**
     * What a check of an entry found.
     *
     * @param damage what is wrong: a file missing, of another size or checksum; empty when the entry is whole
     * @param times the weight files' sizes and times as {@link #checkedRecord} writes them, taken before they
     *     were read, when one was checksummed for want of a matching {@link #checked} time; empty when none was
     */
    private record Check(Optional<String> damage, Optional<String> times) {
        static Check damaged(String why) {
            return new Check(Optional.of(why), Optional.empty());
        }
    }

    /**
     * Checks an entry against its list; a weight file whose size and modification time are those
     * {@link #checked} recorded is taken as whole without reading it.
     */
    private static Check check(Path entry) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(sums(entry), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Check.damaged(Files.exists(entry) ? "no checksums: its writer stopped before the end, or it is older"
                    + " than sentence4j's checks" : "it is gone");
        }
        Set<String> checkedFiles = readChecked(entry);
        boolean listsGraph = false;
        boolean unchecked = false;
        StringBuilder times = new StringBuilder();
        for (String line : lines) {
            String[] parts = line.split(" ", 3);
            if (parts.length != 3) {
                return Check.damaged(sums(entry).getFileName() + " is not a list of checksums");
            }
            Path file = entry.resolveSibling(parts[2]);
            boolean isGraph = file.equals(entry);
            listsGraph |= isGraph;
            if (!Files.exists(file)) {
                return Check.damaged(parts[2] + " is missing");
            }
            long size = Files.size(file);
            if (!Long.toString(size).equals(parts[1])) {
                return Check.damaged(parts[2] + " has " + size + " bytes, " + parts[1] + " were written");
            }
            if (!isGraph) {
                // Taken before the checksum: a write while it is computed leaves a time that no longer matches.
                String time = checkedLine(file);
                times.append(time).append('\n');
                if (checkedFiles.contains(time)) {
                    continue;
                }
                unchecked = true;
            }
            if (!checksum(file).equals(parts[0])) {
                return Check.damaged(parts[2] + " does not match its checksum");
            }
        }
        return listsGraph ? new Check(Optional.empty(), unchecked ? Optional.of(times.toString()) : Optional.empty())
                : Check.damaged(sums(entry).getFileName() + " does not list the graph");
    }

    /** Lists the entry's files, written last so that a list means a complete entry: each file's checksum and size. */
    private static void writeSums(Path entry, List<Path> files) throws IOException {
        StringBuilder sums = new StringBuilder();
        for (Path file : files) {
            sums.append(checksum(file)).append(' ').append(Files.size(file)).append(' ').append(file.getFileName()).append('\n');
        }
        AtomicFile.write(sums(entry), temporary -> Files.writeString(temporary, sums));
    }

    /**
     * The size and modification time of the entry's weight files, recorded as they are checksummed so that
     * later loads trust them while both hold ({@code KEY.onnx.checked}: {@code SIZE MODIFIED NAME} a line,
     * the time in nanoseconds). A file of its own rather than a column of the list, which older versions read.
     */
    private static String checkedRecord(Path entry, Collection<Path> files) throws IOException {
        StringBuilder checked = new StringBuilder();
        for (Path file : files) {
            if (!file.equals(entry)) {
                checked.append(checkedLine(file)).append('\n');
            }
        }
        return checked.toString();
    }

    private static void writeChecked(Path entry, String record) throws IOException {
        AtomicFile.write(checked(entry), temporary -> Files.writeString(temporary, record));
    }

    /**
     * Records the times of an entry's weight files that were just checksummed for want of them (an entry
     * written by an older version, or a file whose time changed, say in a copied cache); left as it is
     * when a file's size or time has changed since, or the record cannot be written.
     */
    private void recordChecked(Path entry, String times) {
        try (CacheLock lock = lock()) {
            String now = checkedRecord(entry, listed(sums(entry)).stream().map(entry::resolveSibling).toList());
            if (Set.copyOf(now.lines().toList()).equals(Set.copyOf(times.lines().toList()))) {
                writeChecked(entry, times);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot record the times of " + entry + ": " + e.getMessage());
        }
    }

    private static Path checked(Path entry) {
        return entry.resolveSibling(entry.getFileName() + CHECKED);
    }

    /** The lines of an entry's {@link #writeChecked record}; none when it has none or it cannot be read. */
    private static Set<String> readChecked(Path entry) {
        try {
            return new HashSet<>(Files.readAllLines(checked(entry), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** A file's size, modification time (in nanoseconds, as far as its file system keeps it) and name. */
    private static String checkedLine(Path file) throws IOException {
        return Files.size(file) + " " + Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS) + " " + file.getFileName();
    }

    /** The file's CRC-32C: it catches flipped bytes and cut files, at memory speed. */
    private static String checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            for (long at = 0; at < size; at += Integer.MAX_VALUE) {
                MappedByteBuffer part = channel.map(FileChannel.MapMode.READ_ONLY, at, Math.min(Integer.MAX_VALUE, size - at));
                crc.update(part);
            }
        }
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /** Removes an entry: its graph, the weight files named after it, its checksums. */
    private static void remove(Path entry) throws IOException {
        Set<String> listed = listed(sums(entry));
        Files.deleteIfExists(sums(entry));
        Files.deleteIfExists(checked(entry));
        Files.deleteIfExists(entry);
        for (Path data : dataFiles(entry)) {
            // Another writer's weight file, still being filled, is fresh and unlisted; an older one is garbage.
            if (listed.contains(data.getFileName().toString()) || isStale(data)) {
                Files.deleteIfExists(data);
            }
        }
    }

    /** The names a checksum list lists; none when it is missing. */
    private static Set<String> listed(Path sums) throws IOException {
        Set<String> names = new HashSet<>();
        if (Files.exists(sums)) {
            for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3) {
                    names.add(parts[2]);
                }
            }
        }
        return names;
    }

    private void evict() throws IOException {
        List<Path> entries;
        try (Stream<Path> files = Files.list(folder)) {
            entries = files.filter(p -> p.getFileName().toString().endsWith(".onnx"))
                    .sorted(Comparator.comparing(GraphCache::lastModified).reversed())
                    .toList();
        }
        for (Path old : entries.subList(Math.min(KEEP, entries.size()), entries.size())) {
            Files.deleteIfExists(sums(old));
            Files.deleteIfExists(checked(old));
            Files.deleteIfExists(old);
            for (Path data : dataFiles(old)) {
                Files.deleteIfExists(data);
            }
        }
    }

    /** Removes temporary and weight files that no entry lists and that no live writer could still be filling. */
    private void removeDeadWriters() throws IOException {
        Set<String> listed = new HashSet<>();
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUMS)) {
                    listed.addAll(listed(file));
                } else if (name.endsWith(".tmp") || name.endsWith(".data")) {
                    candidates.add(file);
                }
            }
        }
        for (Path file : candidates) {
            if (!listed.contains(file.getFileName().toString()) && isStale(file)) {
                deleteQuietly(file);
            }
        }
    }

    private static boolean isStale(Path file) {
        return lastModified(file).toMillis() < System.currentTimeMillis() - STALE.toMillis();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void removeQuietly(Path entry) {
        try {
            remove(entry);
        } catch (IOException ignored) {
            // Without its checksums a leftover is never used, and goes once stale.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover goes once stale.
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
