package dev.sentence4j.index;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;

/**
 * How a multi-vector index lays out its Lucene documents: per text, one child document per token vector,
 * then the text's parent document, marked so that a parent filter finds it.
 */
final class TokenVectors {
    /** The token vectors' field. */
    static final String TOKEN = "token";
    /** The field that marks a parent document. */
    static final String KIND = "kind";
    static final String TEXT_KIND = "text";
    /**
     * Inner product, whatever the vectors' length: ColBERT's are unit length, yet a model without Normalize
     * still scores by dot product.
     */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;

    private TokenVectors() {}

    /** The parents: the texts' documents. */
    static BitSetProducer parents() {
        return new QueryBitSetProducer(new TermQuery(new Term(KIND, TEXT_KIND)));
    }

    /**
     * Lucene's codec with the token vectors' HNSW graph searched on 8-bit quantized copies: a quarter of the
     * memory a search touches, while the float vectors stay on disk for the exact MaxSim of the candidates.
     */
    static Codec codec() {
        return new Lucene912Codec() {
            private final KnnVectorsFormat quantized = new Lucene99HnswScalarQuantizedVectorsFormat();

            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return quantized;
            }
        };
    }
}
