package com.example.consumer;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.RankedText;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsEvaluation;
import dev.sentence4j.evaluation.StsResult;
import dev.sentence4j.index.IndexHit;
import dev.sentence4j.index.IndexedText;
import dev.sentence4j.index.VectorIndex;
import dev.sentence4j.index.VectorIndexBuilder;
import dev.sentence4j.search.CommunityDetection;
import dev.sentence4j.search.Hit;
import dev.sentence4j.search.ParaphraseMining;
import dev.sentence4j.search.ScoredPair;
import dev.sentence4j.search.SemanticSearch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * README, "Search, mining, evaluation", in the working folder: it reads {@code stsb-en-dev.csv} there
 * and writes the index {@code idx} there.
 */
public final class Search {
    /** What the snippet computes. */
    public record Results(List<List<Hit>> hits, List<List<RankedText>> best, List<ScoredPair> pairs,
            List<List<Integer>> clusters, StsResult sts, List<IndexHit> indexHits) {}

    private Search() {}

    public static Results run(SentenceTransformer model, CrossEncoder reranker, List<String> queries, List<String> corpus,
            List<String> texts) throws IOException {
        List<IndexHit> indexHits; // hidden
        // tag::search[]
        List<List<Hit>> hits = SemanticSearch.search(model, queries, corpus, 10);      // exact top-k, bounded memory
        // retrieve 100 with the bi-encoder, keep the cross-encoder's best 10 (RankedText.index: the corpus position)
        List<List<RankedText>> best = SemanticSearch.retrieveAndRerank(model, reranker, queries, corpus, 100, 10);
        List<ScoredPair> pairs = ParaphraseMining.mine(model, texts, 100);
        List<List<Integer>> clusters = CommunityDetection.detect(model.encode(texts), 0.75f, 10);
        StsResult sts = StsEvaluation.evaluate(model, StsCsv.read(Path.of("stsb-en-dev.csv")));
        // RetrievalEvaluation: MRR@k, NDCG@k, recall@k, MAP@k, accuracy@k, precision@k
        // sentence4j-index, a separate artifact (Lucene HNSW):
        try (VectorIndexBuilder b = VectorIndexBuilder.create(Path.of("idx"), model)) {
            b.add(List.of(new IndexedText(1, "The Earth is 4.5 billion years old."), new IndexedText(2, "Paris is in France.")));
            b.commit();
        }
        try (VectorIndex index = VectorIndex.open(Path.of("idx"), model)) { index.search("How old is the Earth?", 10); }
        // end::search[]
        try (VectorIndex index = VectorIndex.open(Path.of("idx"), model)) {
            indexHits = index.search("How old is the Earth?", 10);
        }
        return new Results(hits, best, pairs, clusters, sts, indexHits);
    }
}
