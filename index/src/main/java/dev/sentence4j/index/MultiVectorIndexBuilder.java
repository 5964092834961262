package dev.sentence4j.index;

import dev.sentence4j.MultiVectorEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;

/**
 * Builds an index of a multi-vector model's token vectors: each text is one Lucene block, a child
 * document per token vector (in an HNSW graph whose search copy is quantized to 8 bits, the float vectors
 * kept beside it for exact scoring) followed by the parent document holding the text and its line. As
 * {@link VectorIndexBuilder}, the index grows in a hidden folder until {@link #commit} moves it in place.
 *
 * <pre>{@code
 * try (MultiVectorIndexBuilder builder = MultiVectorIndexBuilder.create(Path.of("my-index"), colbert)) {
 *     builder.add(List.of(new IndexedText(1, "A man is playing a guitar."), ...));
 *     builder.commit();
 * }
 * }</pre>
 */
public final class MultiVectorIndexBuilder implements AutoCloseable {
    private final IndexBuild build;
    private final MultiVectorEncoder model;
    private int count;
    private long tokens;

    private MultiVectorIndexBuilder(IndexBuild build, MultiVectorEncoder model) {
        this.build = build;
        this.model = model;
    }

    /**
     * Starts an index of the model's token vectors at {@code folder}, which must not exist yet or be empty.
     *
     * @throws IndexException if the folder is taken, its parent folder is missing, or the model's vectors
     *     have more dimensions than Lucene's HNSW index takes
     */
    public static MultiVectorIndexBuilder create(Path folder, MultiVectorEncoder model) {
        return new MultiVectorIndexBuilder(IndexBuild.start(folder, "token vectors", model.dimension(), TokenVectors.codec()),
                model);
    }

    /** Encodes the texts as documents ({@link MultiVectorEncoder#encodeDocument}) and adds them. */
    public void add(List<IndexedText> texts) {
        List<float[][]> blocks = model.encodeDocument(texts.stream().map(IndexedText::text).toList());
        for (int i = 0; i < blocks.size(); i++) {
            add(texts.get(i), blocks.get(i));
        }
    }

    /**
     * Adds a text with its token vectors, made by the builder's model.
     *
     * @throws IllegalArgumentException naming the token whose vector's length is not the model's dimension
     */
    public void add(IndexedText text, float[][] block) {
        List<Document> documents = new ArrayList<>(block.length + 1);
        for (int t = 0; t < block.length; t++) {
            if (block[t].length != model.dimension()) {
                throw new IllegalArgumentException("token " + t + " has a vector of " + block[t].length
                        + " values; the model's have " + model.dimension());
            }
            Document token = new Document();
            token.add(new KnnFloatVectorField(TokenVectors.TOKEN, block[t], TokenVectors.SIMILARITY));
            documents.add(token);
        }
        Document parent = new Document();
        parent.add(new StringField(TokenVectors.KIND, TokenVectors.TEXT_KIND, Field.Store.NO));
        parent.add(new StoredField(LuceneFields.TEXT, text.text()));
        parent.add(new StoredField(LuceneFields.LINE, text.line()));
        documents.add(parent);
        // One block: a text's token documents, then the text's own, which the parent filter finds.
        build.add(documents);
        count++;
        tokens += block.length;
    }

    /** How many texts are added so far. */
    public int count() {
        return count;
    }

    /**
     * Finishes the index (one segment, so one HNSW graph) and moves it into its folder.
     *
     * @throws IndexException if it cannot be written
     */
    public MultiVectorIndexInfo commit() {
        MultiVectorIndexInfo info = MultiVectorIndexInfo.of(model, count, tokens);
        build.commit(building -> InfoFile.write(building, info));
        return info;
    }

    /** Abandons the build unless it was committed: nothing of it is left on disk. */
    @Override
    public void close() {
        build.close();
    }
}
