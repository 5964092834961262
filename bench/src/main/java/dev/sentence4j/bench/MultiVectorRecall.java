package dev.sentence4j.bench;

import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.MultiVectorFolders;
import dev.sentence4j.index.IndexHit;
import dev.sentence4j.index.IndexedText;
import dev.sentence4j.index.MultiVectorIndex;
import dev.sentence4j.index.MultiVectorIndexBuilder;
import dev.sentence4j.index.MultiVectorIndexInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The multi-vector index against exact MaxSim over the whole corpus: recall@10 and mean latency per query
 * for several candidate counts per query token. The model is all-MiniLM-L6-v2's real ONNX export turned into
 * a ColBERT model (projection to 96 dimensions, random; the punctuation skiplist; queries expanded to 32
 * tokens): the ranking is not a trained ColBERT's, the approximation of exact MaxSim by the index is what
 * is measured. The texts are {@link RecombinedSentences} from STSb dev: the first ones the queries, the
 * rest the corpus. Also prints what the index keeps on disk, per token vector.
 *
 * <p>Run from the checkout: {@code ./mvnw -B -q package -pl bench -am -DskipTests && java -cp
 * "bench/target/classes:bench/target/lib/*" dev.sentence4j.bench.MultiVectorRecall [corpus] [queries]}.
 */
public final class MultiVectorRecall {
    private static final int TOP_K = 10;
    private static final int[] CANDIDATES_PER_TOKEN = {5, 10, 20, 50};

    private MultiVectorRecall() {}

    public static void main(String[] args) throws IOException {
        int corpusSize = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int querySize = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<String> sentences = RecombinedSentences.make(BenchTexts.distinct(), querySize + corpusSize);
        List<String> queryTexts = sentences.subList(0, querySize);
        List<String> corpusTexts = sentences.subList(querySize, querySize + corpusSize);
        Path dir = Files.createTempDirectory("sentence4j-colbert-recall");
        try (MultiVectorEncoder model = MultiVectorEncoder.load(
                MultiVectorFolders.miniLmColbert(dir, "colbert", 180, 96).toString())) {
            long start = System.nanoTime();
            List<float[][]> corpus = model.encodeDocument(corpusTexts);
            List<float[][]> queries = model.encodeQuery(queryTexts);
            System.out.printf(Locale.ROOT, "encoded %d documents and %d queries in %.1f s%n", corpus.size(), queries.size(),
                    (System.nanoTime() - start) / 1e9);
            Path indexFolder = dir.resolve("index");
            start = System.nanoTime();
            MultiVectorIndexInfo info;
            try (MultiVectorIndexBuilder builder = MultiVectorIndexBuilder.create(indexFolder, model)) {
                for (int i = 0; i < corpus.size(); i++) {
                    builder.add(new IndexedText(i + 1, corpusTexts.get(i)), corpus.get(i));
                }
                info = builder.commit();
            }
            long bytes;
            try (Stream<Path> files = Files.walk(indexFolder)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(MultiVectorRecall::size).sum();
            }
            System.out.printf(Locale.ROOT, "indexed %d texts, %d token vectors of %d dimensions in %.1f s: %.1f MB on disk, "
                    + "%.0f bytes per token vector (raw float32: %d)%n", info.count(), info.tokens(), info.dimension(),
                    (System.nanoTime() - start) / 1e9, bytes / 1e6, (double) bytes / info.tokens(), 4 * info.dimension());
            printFiles(indexFolder, info.tokens());

            start = System.nanoTime();
            List<Set<Integer>> exact = new ArrayList<>(queries.size());
            for (float[][] query : queries) {
                float[] scores = model.similarity(List.<float[][]>of(query), corpus)[0];
                Set<Integer> best = new HashSet<>();
                IntStream.range(0, scores.length).boxed().sorted(Comparator.comparingDouble((Integer i) -> -scores[i]))
                        .limit(TOP_K).forEach(i -> best.add(i + 1));
                exact.add(best);
            }
            System.out.printf(Locale.ROOT, "exact MaxSim over the whole corpus: %.1f ms per query (%d cores, %s %s)%n",
                    (System.nanoTime() - start) / 1e6 / queries.size(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));
            try (MultiVectorIndex index = MultiVectorIndex.open(indexFolder, model)) {
                for (int candidates : CANDIDATES_PER_TOKEN) {
                    // A warm-up pass, then the measured one.
                    for (int pass = 0; pass < 2; pass++) {
                        long t0 = System.nanoTime();
                        int found = 0;
                        for (int q = 0; q < queries.size(); q++) {
                            for (IndexHit hit : index.search(queries.get(q), TOP_K, candidates)) {
                                found += exact.get(q).contains(hit.line()) ? 1 : 0;
                            }
                        }
                        if (pass == 1) {
                            System.out.printf(Locale.ROOT, "index, %3d candidates per query token: recall@%d %.3f, %.1f ms per"
                                    + " query%n", candidates, TOP_K, found / (double) (TOP_K * queries.size()),
                                    (System.nanoTime() - t0) / 1e6 / queries.size());
                        }
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The bytes per token vector of each kind of Lucene file: raw vectors, quantized ones, the graph, the rest. */
    private static void printFiles(Path index, long tokens) throws IOException {
        try (Stream<Path> files = Files.list(index)) {
            files.filter(Files::isRegularFile).sorted().forEach(file -> System.out.printf(Locale.ROOT, "  %-28s %8.1f bytes per "
                    + "token vector%n", file.getFileName(), (double) size(file) / tokens));
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
