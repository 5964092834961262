package dev.sentence4j.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * An index folder being built, for both kinds of index: the Lucene index grows in a hidden folder beside
 * the target until {@link #commit} merges it into one segment (one HNSW graph), writes the info file and
 * moves it in place, so a failed or abandoned build leaves nothing behind, and never half an index. Not
 * thread-safe.
 */
final class IndexBuild implements AutoCloseable {
    /** Room for 100,000 vectors of 384 dimensions in one segment, so most indexes need no merging. */
    private static final double RAM_BUFFER_MB = 256;

    /** Writes the index's info file into the folder being built. */
    @FunctionalInterface
    interface InfoWriter {
        void write(Path building) throws IOException;
    }

    private final Path folder;
    private final Path building;
    private final Directory directory;
    private final IndexWriter writer;
    private boolean committed;

    private IndexBuild(Path folder, Path building, Directory directory, IndexWriter writer) {
        this.folder = folder;
        this.building = building;
        this.directory = directory;
        this.writer = writer;
    }

    /**
     * Starts building at {@code folder}, which must not exist yet or be empty.
     *
     * @param vectors what the index holds, for messages ("vectors", "token vectors")
     * @param dimension the length of each vector
     * @param codec the codec to write with, or {@code null} for Lucene's default
     * @throws IndexException if the folder is taken, its parent folder is missing, or the vectors have more
     *     dimensions than Lucene's HNSW index takes
     */
    static IndexBuild start(Path folder, String vectors, int dimension, Codec codec) {
        if (dimension > KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS) {
            throw new IndexException("the model's " + vectors + " have " + dimension + " dimensions; Lucene's HNSW index "
                    + "takes at most " + KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS);
        }
        Path target = folder.toAbsolutePath().normalize();
        requireFree(folder, target);
        String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        Path building = target.resolveSibling("." + target.getFileName() + ".building-" + suffix);
        Directory directory = null;
        try {
            directory = FSDirectory.open(building);
            IndexWriterConfig config = new IndexWriterConfig()
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                    .setRAMBufferSizeMB(RAM_BUFFER_MB);
            if (codec != null) {
                config.setCodec(codec);
            }
            return new IndexBuild(target, building, directory, new IndexWriter(directory, config));
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(directory);
            deleteTree(building);
            throw new IndexException("cannot build an index in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void requireFree(Path given, Path target) {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IndexException("cannot build an index in " + given + ": folder " + parent + " does not exist");
        }
        if (Files.isDirectory(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new IndexException("cannot build an index in " + given
                            + ": the folder is not empty; remove it or choose another");
                }
            } catch (IOException e) {
                throw new IndexException("cannot build an index in " + given + ": " + e.getMessage(), e);
            }
        } else if (Files.exists(target)) {
            throw new IndexException("cannot build an index in " + given + ": it is a file");
        }
    }

    /** Adds documents as one block, kept together and in order. */
    void add(List<Document> documents) {
        try {
            writer.addDocuments(documents);
        } catch (IOException e) {
            throw new IndexException("cannot write the index for " + folder + " in " + building + ": " + e.getMessage(), e);
        }
    }

    /**
     * Finishes the index (one segment, so a query walks one HNSW graph), writes its info file and moves it
     * into its folder.
     *
     * @throws IndexException if it cannot be written
     */
    void commit(InfoWriter info) {
        try {
            writer.forceMerge(1);
            writer.close();
            directory.close();
            info.write(building);
            Files.deleteIfExists(folder);
            Files.move(building, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IndexException("cannot write the index " + folder + ": " + e.getMessage(), e);
        }
        committed = true;
    }

    /** Abandons the build unless it was committed: nothing of it is left on disk. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            writer.rollback();
        } catch (IOException e) {
            throw new IndexException("cannot abandon the index build in " + building + ": " + e.getMessage(), e);
        } finally {
            IOUtils.closeWhileHandlingException(directory);
            deleteTree(building);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new IndexException("cannot remove the unfinished index " + root + ": " + e.getMessage(), e);
        }
    }
}
