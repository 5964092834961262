package dev.sentence4j.index;

import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * Builds an index folder: texts are encoded and added, then {@link #commit} makes the folder. Until
 * then the index grows in a hidden folder beside it, so a failed or abandoned build leaves nothing
 * behind, and never half an index.
 *
 * <pre>{@code
 * try (VectorIndexBuilder builder = VectorIndexBuilder.create(Path.of("my-index"), model)) {
 *     builder.add(List.of(new IndexedText(1, "A man is playing a guitar."), ...));
 *     builder.commit();
 * }
 * }</pre>
 */
public final class VectorIndexBuilder implements AutoCloseable {
    /** Room for 100,000 vectors of 384 dimensions in one segment, so most indexes need no merging. */
    private static final double RAM_BUFFER_MB = 256;

    private final Path folder;
    private final Path building;
    private final SentenceTransformer model;
    private final LuceneSimilarity similarity;
    private final Directory directory;
    private final IndexWriter writer;
    private int count;
    private boolean committed;

    private VectorIndexBuilder(Path folder, Path building, SentenceTransformer model, LuceneSimilarity similarity,
            Directory directory, IndexWriter writer) {
        this.folder = folder;
        this.building = building;
        this.model = model;
        this.similarity = similarity;
        this.directory = directory;
        this.writer = writer;
    }

    /**
     * Starts an index of the model's vectors at {@code folder}, which must not exist yet or be empty.
     *
     * @throws IndexException if the folder is taken, its parent folder is missing, or the model's
     *     vectors cannot be indexed (manhattan similarity, more than 1024 dimensions)
     */
    public static VectorIndexBuilder create(Path folder, SentenceTransformer model) {
        LuceneSimilarity similarity = LuceneSimilarity.of(model.similarityFunction());
        if (model.dimension() > KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS) {
            throw new IndexException("the model's vectors have " + model.dimension() + " dimensions; Lucene's HNSW index "
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
            return new VectorIndexBuilder(target, building, model, similarity, directory, new IndexWriter(directory, config));
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(directory);
            deleteTree(building);
            throw new IndexException("cannot build an index in " + folder + ": " + e.getMessage(), e);
        }
    }

    static void requireFree(Path given, Path target) {
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

    /** Encodes the texts as documents ({@link SentenceTransformer#encodeDocument}) and adds them. */
    public void add(List<IndexedText> texts) {
        float[][] vectors = model.encodeDocument(texts.stream().map(IndexedText::text).toList());
        for (int i = 0; i < vectors.length; i++) {
            add(texts.get(i), vectors[i]);
        }
    }

    /**
     * Adds a text with its vector, made by the builder's model.
     *
     * @throws IllegalArgumentException if the vector's length is not the model's dimension
     */
    public void add(IndexedText text, float[] vector) {
        if (vector.length != model.dimension()) {
            throw new IllegalArgumentException("vector has " + vector.length + " values; the model's have "
                    + model.dimension());
        }
        Document document = new Document();
        document.add(new KnnFloatVectorField(LuceneFields.VECTOR, vector, similarity.lucene()));
        document.add(new StoredField(LuceneFields.TEXT, text.text()));
        document.add(new StoredField(LuceneFields.LINE, text.line()));
        try {
            writer.addDocument(document);
        } catch (IOException e) {
            throw new IndexException("cannot write the index for " + folder + " in " + building + ": " + e.getMessage(), e);
        }
        count++;
    }

    /** How many texts are added so far. */
    public int count() {
        return count;
    }

    /**
     * Finishes the index (one HNSW graph, merged from any segments) and moves it into its folder.
     *
     * @return what the index holds
     * @throws IndexException if it cannot be written
     */
    public IndexInfo commit() {
        IndexInfo info = IndexInfo.of(model, count);
        try {
            // One graph: a query then walks one HNSW graph rather than one per segment.
            writer.forceMerge(1);
            writer.close();
            directory.close();
            InfoFile.write(building, info);
            Files.deleteIfExists(folder);
            Files.move(building, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IndexException("cannot write the index " + folder + ": " + e.getMessage(), e);
        }
        committed = true;
        return info;
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

    static void deleteTree(Path root) {
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
