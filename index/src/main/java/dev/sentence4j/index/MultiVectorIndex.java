package dev.sentence4j.index;

import dev.sentence4j.MultiVectorEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.DiversifyingChildrenFloatKnnVectorQuery;
import org.apache.lucene.util.BitSet;

/**
 * A multi-vector index opened for search, in two stages: each query token's nearest texts in the HNSW
 * graph of token vectors (a text counted once per query token, by its best token: Lucene's
 * {@link DiversifyingChildrenFloatKnnVectorQuery}), then the exact MaxSim of the query against every
 * candidate's token vectors, read back from the index. Thread-safe; close it to release the folder's files.
 *
 * <pre>{@code
 * try (MultiVectorIndex index = MultiVectorIndex.open(Path.of("my-index"), colbert)) {
 *     List<IndexHit> hits = index.search("How old is the Earth?", 10);
 * }
 * }</pre>
 */
public final class MultiVectorIndex implements AutoCloseable {
    /** Texts each query token collects by default: their union is scored exactly. */
    public static final int DEFAULT_CANDIDATES_PER_TOKEN = 20;

    private static final Comparator<IndexHit> BEST_FIRST = Comparator
            .comparing(IndexHit::score, Comparator.reverseOrder())
            .thenComparingInt(IndexHit::line);

    private final Path folder;
    private final MultiVectorIndexInfo info;
    private final MultiVectorEncoder model;
    private final IndexFiles files;
    private final IndexSearcher searcher;
    private final BitSetProducer parents = TokenVectors.parents();

    private MultiVectorIndex(Path folder, MultiVectorIndexInfo info, MultiVectorEncoder model, IndexFiles files) {
        this.folder = folder;
        this.info = info;
        this.model = model;
        this.files = files;
        this.searcher = new IndexSearcher(files.reader());
    }

    /**
     * What the multi-vector index in {@code folder} holds and which model made it, without opening it.
     *
     * @throws IndexException if there is no such index there or its info file is damaged
     */
    public static MultiVectorIndexInfo readInfo(Path folder) {
        return InfoFile.readMultiVector(folder);
    }

    /**
     * Opens the index in {@code folder} to search it with {@code model}, the model it was built with.
     *
     * @throws IndexException if there is no such index there, it is damaged, or it was built with another model
     */
    public static MultiVectorIndex open(Path folder, MultiVectorEncoder model) {
        MultiVectorIndexInfo info = InfoFile.readMultiVector(folder);
        if (!info.madeBy(model)) {
            throw new IndexException("the index " + folder + " was built with " + info.describeModel()
                    + "; it cannot be searched with " + MultiVectorIndexInfo.of(model, 0, 0).describeModel()
                    + ", whose vectors are not comparable; use the model it was built with");
        }
        IndexFiles files = IndexFiles.open(folder, info.count() + info.tokens(), "documents",
                info.count() + " texts and " + info.tokens() + " tokens");
        return new MultiVectorIndex(folder, info, model, files);
    }

    /** What the index holds and which model made it. */
    public MultiVectorIndexInfo info() {
        return info;
    }

    /** The {@code topK} texts that score best against the query, encoded by {@link MultiVectorEncoder#encodeQuery}. */
    public List<IndexHit> search(String query, int topK) {
        return search(model.encodeQuery(List.of(query)).get(0), topK, Math.max(topK, DEFAULT_CANDIDATES_PER_TOKEN));
    }

    /**
     * The {@code topK} texts that score best against a query's token vectors, best first (equal scores by
     * lower line), by the model's similarity function computed exactly over the candidates' token vectors.
     * Each query token collects {@code candidatesPerToken} texts: more find the true best more often, and
     * take longer.
     *
     * @throws IllegalArgumentException if {@code topK < 1}, {@code candidatesPerToken < 1}, or a token vector's
     *     length is not the index's dimension
     * @throws IndexException if the index's files cannot be read
     */
    public List<IndexHit> search(float[][] query, int topK, int candidatesPerToken) {
        if (topK < 1 || candidatesPerToken < 1) {
            throw new IllegalArgumentException("need top k >= 1 and candidates per token >= 1, got " + topK + " and "
                    + candidatesPerToken);
        }
        for (int t = 0; t < query.length; t++) {
            if (query[t].length != info.dimension()) {
                throw new IllegalArgumentException("query token " + t + " has a vector of " + query[t].length
                        + " values; the index's have " + info.dimension());
            }
        }
        try {
            TreeSet<Integer> candidates = new TreeSet<>();
            for (float[] token : query) {
                // The hits are each text's best token document; its text's document follows its tokens.
                for (ScoreDoc hit : searcher.search(new DiversifyingChildrenFloatKnnVectorQuery(TokenVectors.TOKEN, token,
                        null, candidatesPerToken, parents), candidatesPerToken).scoreDocs) {
                    LeafReaderContext leaf = files.reader().leaves().get(ReaderUtil.subIndex(hit.doc, files.reader().leaves()));
                    candidates.add(leaf.docBase + parents.getBitSet(leaf).nextSetBit(hit.doc - leaf.docBase));
                }
            }
            List<Integer> docs = new ArrayList<>(candidates);
            List<float[][]> blocks = tokenVectors(docs);
            float[] scores = model.similarityFunction().matrix(List.<float[][]>of(query), blocks)[0];
            StoredFields stored = searcher.storedFields();
            List<IndexHit> hits = new ArrayList<>(docs.size());
            for (int i = 0; i < docs.size(); i++) {
                Document document = stored.document(docs.get(i));
                hits.add(new IndexHit(document.getField(LuceneFields.LINE).numericValue().intValue(),
                        document.get(LuceneFields.TEXT), scores[i]));
            }
            hits.sort(BEST_FIRST);
            return List.copyOf(hits.subList(0, Math.min(topK, hits.size())));
        } catch (IOException e) {
            throw new IndexException("cannot read the index " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The token vectors of parent documents, given in increasing order: the child documents just before each. */
    private List<float[][]> tokenVectors(List<Integer> parentDocs) throws IOException {
        List<float[][]> blocks = new ArrayList<>(parentDocs.size());
        List<LeafReaderContext> leaves = files.reader().leaves();
        int leafIndex = -1;
        LeafReaderContext leaf = null;
        FloatVectorValues values = null;
        BitSet parentBits = null;
        for (int doc : parentDocs) {
            int at = ReaderUtil.subIndex(doc, leaves);
            if (at != leafIndex) {
                leafIndex = at;
                leaf = leaves.get(at);
                values = leaf.reader().getFloatVectorValues(TokenVectors.TOKEN);
                parentBits = parents.getBitSet(leaf);
            }
            int parent = doc - leaf.docBase;
            int first = parent == 0 ? 0 : parentBits.prevSetBit(parent - 1) + 1;
            float[][] block = new float[parent - first][];
            for (int child = first; child < parent; child++) {
                values.advance(child);
                block[child - first] = values.vectorValue().clone();
            }
            blocks.add(block);
        }
        return blocks;
    }

    @Override
    public void close() {
        files.close();
    }
}
