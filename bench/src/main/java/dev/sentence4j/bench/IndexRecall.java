package dev.sentence4j.bench;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.index.IndexHit;
import dev.sentence4j.index.IndexInfo;
import dev.sentence4j.index.IndexedText;
import dev.sentence4j.index.VectorIndex;
import dev.sentence4j.index.VectorIndexBuilder;
import dev.sentence4j.search.Hit;
import dev.sentence4j.search.SemanticSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The vector index against exact search on 100,000 sentences: recall@10 and mean latency per query,
 * for 1,000 held-out queries. Not a JMH benchmark because its first result is a recall, which needs
 * both searches' answers side by side; latencies are means over all queries after a warm-up pass.
 *
 * <p>The sentences are {@link RecombinedSentences}: 101,000 made from the STSb dev split, the first
 * 1,000 the queries and the other 100,000 the corpus. Vectors are cached under
 * {@code bench/target/index-bench} (encoding takes minutes), the index too.
 *
 * <p>Run from the checkout: {@code ./mvnw -B -q package -pl bench -am -DskipTests && java -cp
 * "bench/target/classes:bench/target/lib/*" dev.sentence4j.bench.IndexRecall [model id]}.
 */
public final class IndexRecall {
    private static final int QUERIES = 1_000;
    private static final int CORPUS = 100_000;
    private static final int TOP_K = 10;
    private static final int[] CANDIDATES = {10, 25, 50, 100, 200};

    private IndexRecall() {}

    public static void main(String[] args) throws IOException {
        String modelId = args.length > 0 ? args[0] : "sentence-transformers/all-MiniLM-L6-v2";
        Path cache = Path.of(System.getProperty("sentence4j.bench.cache", "bench/target/index-bench"));
        List<String> sentences = RecombinedSentences.make(BenchTexts.distinct(), QUERIES + CORPUS);
        List<String> queryTexts = sentences.subList(0, QUERIES);
        List<String> corpusTexts = sentences.subList(QUERIES, QUERIES + CORPUS);
        try (SentenceTransformer model = SentenceTransformer.load(modelId)) {
            Path folder = cache.resolve(CachedVectors.modelName(model));
            float[][] queries = CachedVectors.get(folder, "queries", queryTexts, model::encodeQuery);
            float[][] corpus = CachedVectors.get(folder, "corpus", corpusTexts, model::encodeDocument);
            Path indexFolder = folder.resolve("index");
            ensureIndex(indexFolder, model, corpusTexts, corpus);

            System.out.printf(Locale.ROOT, "%s: %d corpus sentences, %d queries, top %d, %s, %d cores%n", modelId,
                    corpus.length, queries.length, TOP_K, System.getProperty("java.vm.name") + " "
                            + System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            Exact exact = exactSearch(queries, corpus, model);
            try (VectorIndex index = VectorIndex.open(indexFolder, model)) {
                for (int candidates : CANDIDATES) {
                    hnswSearch(index, queries, exact, Math.max(candidates, TOP_K));
                }
            }
        }
    }

    private static void ensureIndex(Path folder, SentenceTransformer model, List<String> texts, float[][] vectors) {
        if (Files.isDirectory(folder) && VectorIndex.readInfo(folder).equals(IndexInfo.of(model, vectors.length))) {
            System.err.println("using the index in " + folder);
            return;
        }
        long start = System.nanoTime();
        try (VectorIndexBuilder builder = VectorIndexBuilder.create(folder, model)) {
            for (int i = 0; i < vectors.length; i++) {
                builder.add(new IndexedText(i + 1, texts.get(i)), vectors[i]);
            }
            builder.commit();
        }
        System.out.printf(Locale.ROOT, "built the HNSW index of %d vectors in %.1f s%n", vectors.length,
                (System.nanoTime() - start) / 1e9);
    }

    /** Exact search's answers and its mean latency per query, in milliseconds. */
    private record Exact(List<List<Hit>> hits, double latency) {}

    private static Exact exactSearch(float[][] queries, float[][] corpus, SentenceTransformer model) {
        // Warm-up, then each query alone, as a service answers them.
        for (int q = 0; q < 50; q++) {
            SemanticSearch.search(new float[][] {queries[q]}, corpus, TOP_K, model.similarityFunction());
        }
        long start = System.nanoTime();
        for (float[] query : queries) {
            SemanticSearch.search(new float[][] {query}, corpus, TOP_K, model.similarityFunction());
        }
        double single = (System.nanoTime() - start) / 1e6 / queries.length;
        start = System.nanoTime();
        List<List<Hit>> hits = SemanticSearch.search(queries, corpus, TOP_K, model.similarityFunction());
        double batched = (System.nanoTime() - start) / 1e6 / queries.length;
        System.out.printf(Locale.ROOT, "exact search: %.2f ms per query one at a time, %.2f ms per query in one "
                + "batch of %d%n", single, batched, queries.length);
        return new Exact(hits, single);
    }

    private static void hnswSearch(VectorIndex index, float[][] queries, Exact exact, int candidates) {
        for (float[] query : queries) {
            index.search(query, TOP_K, candidates);
        }
        List<List<IndexHit>> answers = new ArrayList<>(queries.length);
        long start = System.nanoTime();
        for (float[] query : queries) {
            answers.add(index.search(query, TOP_K, candidates));
        }
        double latency = (System.nanoTime() - start) / 1e6 / queries.length;
        int found = 0;
        for (int q = 0; q < queries.length; q++) {
            Set<Integer> truth = new HashSet<>();
            exact.hits().get(q).forEach(hit -> truth.add(hit.corpusIndex() + 1));
            found += (int) answers.get(q).stream().filter(hit -> truth.contains(hit.line())).count();
        }
        System.out.printf(Locale.ROOT,
                "HNSW, %3d candidates: recall@%d %.4f, %.3f ms per query, %.0fx faster than exact%n", candidates,
                TOP_K, found / (double) (TOP_K * queries.length), latency, exact.latency() / latency);
    }
}
