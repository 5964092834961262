package dev.sentence4j.search;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.RankedText;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.similarity.SimilarityFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact top-k semantic search, as sentence-transformers' {@code util.semantic_search}: every query is
 * scored against every corpus vector, a block at a time, and keeps its {@code topK} best hits in a
 * bounded heap, so no {@code queries × corpus} matrix is ever held.
 *
 * <pre>{@code
 * List<List<Hit>> hits = SemanticSearch.search(model, List.of("How old is the Earth?"), corpus, 5);
 * }</pre>
 */
public final class SemanticSearch {
    private SemanticSearch() {}

    /**
     * Encodes the queries ({@link SentenceTransformer#encodeQuery}) and the corpus
     * ({@link SentenceTransformer#encodeDocument}) and searches by the model's similarity function.
     */
    public static List<List<Hit>> search(SentenceTransformer model, List<String> queries, List<String> corpus, int topK) {
        return search(model.encodeQuery(queries), model.encodeDocument(corpus), topK, model.similarityFunction());
    }

    /**
     * Retrieve and rerank, the usual two-stage search: the bi-encoder finds each query's
     * {@code retrieveK} nearest corpus texts ({@link #search(SentenceTransformer, List, List, int)}),
     * then the cross-encoder scores each query with those texts and keeps the best {@code topK}.
     *
     * <pre>{@code
     * List<List<RankedText>> hits = SemanticSearch.retrieveAndRerank(biEncoder, reranker, queries, corpus, 100, 10);
     * }</pre>
     *
     * @return one list per query, in order, each best first by the cross-encoder's score (equal scores
     *     keep the bi-encoder's order), each {@link RankedText#index()} a position in the corpus
     * @throws IllegalArgumentException if {@code retrieveK} or {@code topK} is below 1
     */
    public static List<List<RankedText>> retrieveAndRerank(SentenceTransformer biEncoder, CrossEncoder reranker,
            List<String> queries, List<String> corpus, int retrieveK, int topK) {
        requirePositive(retrieveK, "retrieve k");
        requirePositive(topK, "top k");
        return rerank(search(biEncoder, queries, corpus, retrieveK), reranker::rank, queries, corpus, topK);
    }

    /**
     * Retrieve and rerank with a late-interaction second stage: the bi-encoder finds each query's
     * {@code retrieveK} nearest corpus texts, then the multi-vector (ColBERT) model scores the query with
     * those texts by MaxSim ({@link MultiVectorEncoder#rank}) and keeps the best {@code topK}.
     *
     * @return one list per query, in order, each best first by MaxSim (equal scores keep the bi-encoder's
     *     order), each {@link RankedText#index()} a position in the corpus
     * @throws IllegalArgumentException if {@code retrieveK} or {@code topK} is below 1
     */
    public static List<List<RankedText>> retrieveAndRerank(SentenceTransformer biEncoder, MultiVectorEncoder reranker,
            List<String> queries, List<String> corpus, int retrieveK, int topK) {
        requirePositive(retrieveK, "retrieve k");
        requirePositive(topK, "top k");
        return rerank(search(biEncoder, queries, corpus, retrieveK), reranker::rank, queries, corpus, topK);
    }

    /**
     * Retrieve and rerank with a sparse first stage: the SparseEncoder (SPLADE) scores each query against
     * every corpus text ({@link SparseEncoder#similarity}) and keeps the {@code retrieveK} best (equal scores
     * by lower corpus index), then the multi-vector model reranks them by MaxSim and keeps the best {@code topK}.
     *
     * @throws IllegalArgumentException if {@code retrieveK} or {@code topK} is below 1
     */
    public static List<List<RankedText>> retrieveAndRerank(SparseEncoder retriever, MultiVectorEncoder reranker,
            List<String> queries, List<String> corpus, int retrieveK, int topK) {
        requirePositive(retrieveK, "retrieve k");
        requirePositive(topK, "top k");
        float[][] scores = retriever.similarity(retriever.encodeQuery(queries), retriever.encodeDocument(corpus));
        List<List<Hit>> retrieved = new ArrayList<>(queries.size());
        for (float[] row : scores) {
            TopHits top = new TopHits(Math.min(retrieveK, row.length));
            for (int i = 0; i < row.length; i++) {
                top.offer(i, row[i]);
            }
            retrieved.add(top.best());
        }
        return rerank(retrieved, reranker::rank, queries, corpus, topK);
    }

    /** How a second stage ranks a query's retrieved texts: {@code rank(query, texts, topK)}. */
    @FunctionalInterface
    private interface Ranker {
        List<RankedText> rank(String query, List<String> texts, int topK);
    }

    /** Each query's retrieved texts ranked by the second stage, their indices put back into the corpus's. */
    private static List<List<RankedText>> rerank(List<List<Hit>> retrieved, Ranker ranker, List<String> queries,
            List<String> corpus, int topK) {
        List<List<RankedText>> results = new ArrayList<>(queries.size());
        for (int q = 0; q < queries.size(); q++) {
            List<Hit> hits = retrieved.get(q);
            List<String> texts = hits.stream().map(hit -> corpus.get(hit.corpusIndex())).toList();
            results.add(ranker.rank(queries.get(q), texts, topK).stream()
                    .map(r -> new RankedText(hits.get(r.index()).corpusIndex(), r.score(), r.text()))
                    .toList());
        }
        return results;
    }

    /** Searches with the {@linkplain ChunkSizes#defaults() default} chunk sizes. */
    public static List<List<Hit>> search(float[][] queries, float[][] corpus, int topK, SimilarityFunction function) {
        return search(queries, corpus, topK, function, ChunkSizes.defaults());
    }

    /**
     * The {@code topK} corpus vectors most similar to each query: one list per query, in order, each
     * best first, equal scores by lower corpus index; shorter than {@code topK} only when the corpus is.
     *
     * @throws IllegalArgumentException if {@code topK < 1} or the vectors differ in length
     */
    public static List<List<Hit>> search(float[][] queries, float[][] corpus, int topK, SimilarityFunction function,
            ChunkSizes chunks) {
        requirePositive(topK, "top k");
        List<List<Hit>> results = new ArrayList<>(queries.length);
        for (int start = 0; start < queries.length; start += chunks.queries()) {
            int end = Math.min(queries.length, start + chunks.queries());
            for (TopHits best : best(queries, start, end, corpus, Math.min(topK, corpus.length), function, chunks, false)) {
                results.add(best.best());
            }
        }
        return results;
    }

    /**
     * The best {@code k} corpus hits of queries {@code start} to {@code end}; with {@code skipSelf} a
     * query never finds the corpus vector at its own index (queries and corpus are then one list).
     */
    static TopHits[] best(float[][] queries, int start, int end, float[][] corpus, int k, SimilarityFunction function,
            ChunkSizes chunks, boolean skipSelf) {
        TopHits[] best = new TopHits[end - start];
        for (int q = 0; q < best.length; q++) {
            best[q] = new TopHits(k);
        }
        ScoreBlocks.scan(queries, start, end, corpus, function, chunks.corpus(), (queryStart, corpusStart, scores) -> {
            for (int q = 0; q < scores.length; q++) {
                float[] row = scores[q];
                for (int c = 0; c < row.length; c++) {
                    if (!skipSelf || queryStart + q != corpusStart + c) {
                        best[q].offer(corpusStart + c, row[c]);
                    }
                }
            }
        });
        return best;
    }

    static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
