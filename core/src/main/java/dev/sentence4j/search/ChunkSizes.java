package dev.sentence4j.search;

/**
 * How many vectors are scored at once: a block of {@code queries × corpus} scores is the most that is
 * held in memory (4 MB with the defaults), however many vectors there are.
 *
 * @param queries query vectors per block (sentence-transformers' {@code query_chunk_size})
 * @param corpus corpus vectors per block (sentence-transformers' {@code corpus_chunk_size})
 */
public record ChunkSizes(int queries, int corpus) {
    public ChunkSizes {
        if (queries < 1 || corpus < 1) {
            throw new IllegalArgumentException("chunk sizes must be at least 1, got " + queries + " queries and "
                    + corpus + " corpus vectors");
        }
    }

    /** 100 queries by 10,000 corpus vectors. */
    public static ChunkSizes defaults() {
        return new ChunkSizes(100, 10_000);
    }
}
