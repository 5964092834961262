package com.example.consumer;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.RankedText;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import dev.sentence4j.TextPair;
import java.util.List;

/** README, "Rerankers and sparse encoders". */
public final class RerankAndSparse {
    /** What the snippet computes. */
    public record Results(float[] pairScores, List<RankedText> top, List<SparseVector> docs, float[][] sparseScores) {}

    private RerankAndSparse() {}

    public static Results run(String query, String doc1, String doc2, List<String> documents, List<String> queries,
            List<String> corpus) {
        float[] pairScores; // hidden
        List<RankedText> ranked; // hidden
        // tag::rerank-sparse[]
        try (CrossEncoder reranker = CrossEncoder.load("cross-encoder/ms-marco-MiniLM-L6-v2")) {
            float[] scores = reranker.predict(List.of(new TextPair(query, doc1), new TextPair(query, doc2)));
            List<RankedText> top = reranker.rank(query, documents, 10);      // best first: index, score, text
            pairScores = scores; // hidden
            ranked = top; // hidden
        }
        try (SparseEncoder splade = SparseEncoder.load("naver/splade-cocondenser-ensembledistil")) {
            List<SparseVector> docs = splade.encodeDocument(corpus);          // (index, value) pairs, sorted by index
            float[][] scores = splade.similarity(splade.encodeQuery(queries), docs);   // dot product
            return new Results(pairScores, ranked, docs, scores); // hidden
        }
        // end::rerank-sparse[]
    }
}
