package dev.sentence4j.index;

import dev.sentence4j.SentenceTransformer;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;

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
    private final IndexBuild build;
    private final SentenceTransformer model;
    private final LuceneSimilarity similarity;
    private int count;

    private VectorIndexBuilder(IndexBuild build, SentenceTransformer model, LuceneSimilarity similarity) {
        this.build = build;
        this.model = model;
        this.similarity = similarity;
    }

    /**
     * Starts an index of the model's vectors at {@code folder}, which must not exist yet or be empty.
     *
     * @throws IndexException if the folder is taken, its parent folder is missing, or the model's
     *     vectors cannot be indexed (manhattan similarity, more than 1024 dimensions)
     */
    public static VectorIndexBuilder create(Path folder, SentenceTransformer model) {
        LuceneSimilarity similarity = LuceneSimilarity.of(model.similarityFunction());
        return new VectorIndexBuilder(IndexBuild.start(folder, "vectors", model.dimension(), null), model, similarity);
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
        build.add(List.of(document));
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
        build.commit(building -> InfoFile.write(building, info));
        return info;
    }

    /** Abandons the build unless it was committed: nothing of it is left on disk. */
    @Override
    public void close() {
        build.close();
    }
}
