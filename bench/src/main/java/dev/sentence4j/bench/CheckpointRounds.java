package dev.sentence4j.bench;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsEvaluation;
import dev.sentence4j.evaluation.StsPair;
import dev.sentence4j.graph.DerivedCheckpoints;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The graph sentence4j builds from a checkpoint against the model's shipped ONNX export, float32 and
 * int8, on the short sentences of {@link EmbeddingThroughput}. The checkpoint is the model's
 * {@code model.safetensors} derived from the export's own weights, so both compute the same numbers.
 * Alternating rounds: each round encodes the sentences once with each of a pair, the order swapped
 * every round, and reports the ratio of that round; on a machine whose load moves, a ratio taken within
 * a round is fair to both sides where JMH's one-benchmark-after-another is not. Then each of the four
 * models' STSb dev Spearman of cosine, the accuracy int8 costs.
 *
 * <p>Usage: {@code CheckpointRounds [rounds (9)] [model (all-MiniLM-L6-v2)]}.
 */
public final class CheckpointRounds {
    private CheckpointRounds() {}

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        String model = args.length > 1 ? args[1] : "sentence-transformers/all-MiniLM-L6-v2";
        List<String> sentences = BenchTexts.sentences();
        Path folder = Files.createTempDirectory("sentence4j-checkpoint-rounds");
        try {
            String checkpoint = DerivedCheckpoints.write(model, folder).toString();
            LoadOptions int8 = LoadOptions.defaults().withQuantized(true);
            try (SentenceTransformer export = SentenceTransformer.load(model);
                    SentenceTransformer built = SentenceTransformer.load(checkpoint);
                    SentenceTransformer exportInt8 = SentenceTransformer.load(model, int8);
                    SentenceTransformer builtInt8 = SentenceTransformer.load(checkpoint, int8)) {
                System.out.printf(Locale.ROOT, "%s, %d sentences per run, %d rounds, load average %s%n", model,
                        sentences.size(), rounds, loadAverage());
                compare("float32", export, built, sentences, rounds);
                compare("int8", exportInt8, builtInt8, sentences, rounds);
                List<StsPair> pairs = StsCsv.read(BenchTexts.file());
                System.out.printf(Locale.ROOT, "STSb dev Spearman (cosine, %d pairs): shipped float32 %.7f, built float32 %.7f,"
                        + " shipped int8 %.7f, built int8 %.7f%n", pairs.size(), spearman(export, pairs), spearman(built, pairs),
                        spearman(exportInt8, pairs), spearman(builtInt8, pairs));
                System.out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
            }
        } finally {
            try (var files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void compare(String label, SentenceTransformer shipped, SentenceTransformer built, List<String> sentences,
            int rounds) {
        shipped.encode(sentences);
        built.encode(sentences);
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double shippedRate;
            double builtRate;
            if (round % 2 == 1) {
                shippedRate = rate(shipped, sentences);
                builtRate = rate(built, sentences);
            } else {
                builtRate = rate(built, sentences);
                shippedRate = rate(shipped, sentences);
            }
            ratios.add(builtRate / shippedRate);
            System.out.printf(Locale.ROOT, "%s round %d: shipped %.0f sentences/s, built %.0f, built/shipped %.3f%n", label,
                    round, shippedRate, builtRate, builtRate / shippedRate);
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "%s built/shipped: median %.3f, min %.3f, max %.3f over %d rounds%n", label,
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), rounds);
    }

    private static double spearman(SentenceTransformer model, List<StsPair> pairs) {
        return StsEvaluation.evaluate(model, pairs).score(SimilarityFunction.COSINE).spearman();
    }

    private static double rate(SentenceTransformer model, List<String> sentences) {
        long start = System.nanoTime();
        model.encode(sentences);
        return sentences.size() / ((System.nanoTime() - start) / 1e9);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
