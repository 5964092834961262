package dev.sentence4j.cli;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsPair;
import dev.sentence4j.tokenize.Tokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import dev.sentence4j.transformer.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j bench}: encoding speed on a set of texts, after a warm-up. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Measures encoding speed: sentences/s and tokens/s, min/median/max over runs.",
        description = {
            "Encodes the same texts several times after warm-up runs and reports sentences/s and tokens/s "
                    + "(tokens as the model sees them: special tokens in, truncated ones out).",
            "Default input: the distinct sentences of the STS benchmark dev split "
                    + "(../shared/data/stsb-en-dev.csv beside the checkout)."
        })
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Texts: one per line, or a sentence1,sentence2,score CSV whose distinct sentences are used.")
    Path input;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_SIZE,
            description = "Texts per transformer run. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Measured runs. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Unmeasured runs first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (batchSize < 1 || runs < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--batch-size and --runs must be at least 1, --warmup at least 0");
        }
        Path file = input != null ? input : defaultInput();
        List<String> texts = texts(file);
        if (texts.isEmpty()) {
            throw new CliException(file + " has no texts to encode");
        }
        PrintWriter out = spec.commandLine().getOut();
        EncodeOptions options = EncodeOptions.defaults().withBatchSize(batchSize);
        try (SentenceTransformer model = modelOptions.load()) {
            long tokens = model.tokenizer().tokenize(texts).stream().mapToLong(Tokens::length).sum();
            out.printf(Locale.ROOT, "model: %s (%s), batch size %d, %d threads%n", model.name(), model.describe().onnxFile().orElse("static token table"), batchSize,
                    modelOptions.threads > 0 ? modelOptions.threads : RuntimeOptions.physicalCores());
            out.printf(Locale.ROOT, "input: %d texts, %d tokens (%.1f per text) from %s%n", texts.size(), tokens,
                    (double) tokens / texts.size(), file);
            for (int i = 0; i < warmup; i++) {
                model.encode(texts, options);
            }
            double[] seconds = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                model.encode(texts, options);
                seconds[i] = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "run %d: %.2f s, %.0f sentences/s, %.0f tokens/s%n", i + 1, seconds[i],
                        texts.size() / seconds[i], tokens / seconds[i]);
            }
            report(out, "sentences/s", texts.size(), seconds);
            report(out, "tokens/s", tokens, seconds);
            // How much of a run tokenizing alone takes: what overlapping it with inference could save at most.
            long start = System.nanoTime();
            model.tokenizer().tokenize(texts);
            double tokenizing = (System.nanoTime() - start) / 1e9;
            double median = Arrays.stream(seconds).sorted().toArray()[runs / 2];
            out.printf(Locale.ROOT, "tokenizing alone: %.3f s (%.1f%% of a run)%n", tokenizing, 100 * tokenizing / median);
        }
        return 0;
    }

    private static void report(PrintWriter out, String unit, long count, double[] seconds) {
        double[] rates = Arrays.stream(seconds).map(s -> count / s).sorted().toArray();
        double median = rates.length % 2 == 1 ? rates[rates.length / 2]
                : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
        out.printf(Locale.ROOT, "%-12s min %.0f  median %.0f  max %.0f%n", unit, rates[0], median, rates[rates.length - 1]);
    }

    /** The STSb dev file beside the checkout the launcher runs from. */
    private static Path defaultInput() {
        String home = System.getProperty("sentence4j.home");
        Path file = Path.of(home == null ? "." : home).resolve("../shared/data/stsb-en-dev.csv").normalize();
        if (!Files.isRegularFile(file)) {
            throw new CliException("no --input given and the STS benchmark file is not at " + file + "; name the texts with --input FILE");
        }
        return file;
    }

    private static List<String> texts(Path file) {
        if (!file.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return TextFile.readLines(file);
        }
        try {
            Set<String> distinct = new LinkedHashSet<>();
            for (StsPair pair : StsCsv.read(file)) {
                distinct.add(pair.sentence1());
                distinct.add(pair.sentence2());
            }
            return new ArrayList<>(distinct);
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
    }
}
