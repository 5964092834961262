package dev.sentence4j.search;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Arrays;

/** Scores a range of queries against a whole corpus, one bounded block of the score matrix at a time. */
final class ScoreBlocks {
    /** Receives each block: {@code scores[q][c]} is query {@code queryStart + q} against vector {@code corpusStart + c}. */
    interface Visitor {
        void visit(int queryStart, int corpusStart, float[][] scores);
    }

    private ScoreBlocks() {}

    static void scan(float[][] queries, int queryStart, int queryEnd, float[][] corpus, SimilarityFunction function,
            int corpusChunk, Visitor visitor) {
        float[][] queryRows = Arrays.copyOfRange(queries, queryStart, queryEnd);
        for (int corpusStart = 0; corpusStart < corpus.length; corpusStart += corpusChunk) {
            float[][] corpusRows = Arrays.copyOfRange(corpus, corpusStart, Math.min(corpus.length, corpusStart + corpusChunk));
            visitor.visit(queryStart, corpusStart, function.matrix(queryRows, corpusRows));
        }
    }
}
