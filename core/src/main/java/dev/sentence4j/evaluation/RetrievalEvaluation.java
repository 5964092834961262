package dev.sentence4j.evaluation;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.search.Hit;
import dev.sentence4j.search.SemanticSearch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Information retrieval evaluation, as sentence-transformers' {@code InformationRetrievalEvaluator}:
 * each query searches the corpus, and the ranking is judged against the documents known to be
 * relevant to it by accuracy, precision, recall, MRR, NDCG and MAP at each cutoff k.
 */
public final class RetrievalEvaluation {
    /** The cutoffs at which every measure is reported unless others are asked for. */
    public static final List<Integer> DEFAULT_CUTOFFS = List.of(1, 3, 5, 10, 100);

    private RetrievalEvaluation() {}

    /**
     * Encodes the queries ({@link SentenceTransformer#encodeQuery}) and the corpus
     * ({@link SentenceTransformer#encodeDocument}), ranks the corpus for each query by the model's
     * similarity function (equal scores in the corpus map's order) and scores the rankings. Queries
     * without relevant documents are left out, as sentence-transformers does.
     *
     * @param queries query id to query text
     * @param corpus document id to document text
     * @param relevant query id to the ids of its relevant documents
     * @throws IllegalArgumentException if no query has a relevant document, or there is no cutoff or
     *     one below 1
     */
    public static RetrievalResult evaluate(SentenceTransformer model, Map<String, String> queries,
            Map<String, String> corpus, Map<String, Set<String>> relevant, List<Integer> cutoffs) {
        requireCutoffs(cutoffs);
        List<String> queryIds = queries.keySet().stream()
                .filter(id -> !relevant.getOrDefault(id, Set.of()).isEmpty()).toList();
        if (queryIds.isEmpty()) {
            throw new IllegalArgumentException("none of the " + queries.size() + " queries has a relevant document");
        }
        List<String> documentIds = new ArrayList<>(corpus.keySet());
        float[][] queryVectors = model.encodeQuery(queryIds.stream().map(queries::get).toList());
        float[][] documentVectors = model.encodeDocument(new ArrayList<>(corpus.values()));
        int depth = Collections.max(cutoffs);
        List<List<String>> rankings = new ArrayList<>();
        for (List<Hit> hits : SemanticSearch.search(queryVectors, documentVectors, depth, model.similarityFunction())) {
            rankings.add(hits.stream().map(hit -> documentIds.get(hit.corpusIndex())).toList());
        }
        return score(rankings, queryIds.stream().map(relevant::get).toList(), cutoffs);
    }

    /**
     * Scores rankings against relevance judgements.
     *
     * @param rankings for each query, document ids best first, at least as deep as the largest cutoff
     *     (or the whole corpus)
     * @param relevant for each query, the ids of its relevant documents; none may be empty
     * @throws IllegalArgumentException if the lists differ in length or are empty, a query has no
     *     relevant document, or there is no cutoff or one below 1
     */
    public static RetrievalResult score(List<List<String>> rankings, List<Set<String>> relevant, List<Integer> cutoffs) {
        if (rankings.size() != relevant.size() || rankings.isEmpty()) {
            throw new IllegalArgumentException("need one ranking per query and at least one query: "
                    + rankings.size() + " rankings, " + relevant.size() + " relevance judgements");
        }
        requireCutoffs(cutoffs);
        SortedMap<Integer, RetrievalScores> scores = new TreeMap<>();
        for (int k : cutoffs) {
            List<RetrievalScores> perQuery = new ArrayList<>();
            for (int q = 0; q < rankings.size(); q++) {
                perQuery.add(atCutoff(rankings.get(q), relevant.get(q), k));
            }
            scores.put(k, new RetrievalScores(mean(perQuery, RetrievalScores::accuracy),
                    mean(perQuery, RetrievalScores::precision), mean(perQuery, RetrievalScores::recall),
                    mean(perQuery, RetrievalScores::mrr), mean(perQuery, RetrievalScores::ndcg),
                    mean(perQuery, RetrievalScores::map)));
        }
        return new RetrievalResult(rankings.size(), scores);
    }

    private static void requireCutoffs(List<Integer> cutoffs) {
        if (cutoffs.isEmpty()) {
            throw new IllegalArgumentException("need at least one cutoff k");
        }
        for (int k : cutoffs) {
            if (k < 1) {
                throw new IllegalArgumentException("cutoffs must be at least 1, got " + k);
            }
        }
    }

    private static double mean(List<RetrievalScores> perQuery, ToDoubleFunction<RetrievalScores> measure) {
        return perQuery.stream().mapToDouble(measure).sum() / perQuery.size();
    }

    /** One query's scores at {@code k}. */
    private static RetrievalScores atCutoff(List<String> ranking, Set<String> relevant, int k) {
        if (relevant.isEmpty()) {
            throw new IllegalArgumentException("every query needs a relevant document; one has none");
        }
        int found = 0;
        double reciprocalRank = 0;
        double dcg = 0;
        double precisionSum = 0;
        for (int rank = 1; rank <= Math.min(k, ranking.size()); rank++) {
            if (relevant.contains(ranking.get(rank - 1))) {
                found++;
                if (reciprocalRank == 0) {
                    reciprocalRank = 1.0 / rank;
                }
                dcg += discount(rank);
                precisionSum += (double) found / rank;
            }
        }
        double idealDcg = 0;
        for (int rank = 1; rank <= Math.min(k, relevant.size()); rank++) {
            idealDcg += discount(rank);
        }
        return new RetrievalScores(found > 0 ? 1 : 0, (double) found / k, (double) found / relevant.size(),
                reciprocalRank, dcg / idealDcg, precisionSum / Math.min(k, relevant.size()));
    }

    private static double discount(int rank) {
        return 1 / (Math.log(rank + 1) / Math.log(2));
    }
}
