package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TestModels;
import dev.sentence4j.io.TextLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench: what it measures and reports (not how fast: that is BENCHMARKS.md's business). */
class BenchCommandTest {
    private static final Pattern RUN = Pattern.compile("run (\\d): (\\d+\\.\\d\\d) s, (\\d+) sentences/s, (\\d+) tokens/s");

    @TempDir
    Path dir;

    @Test
    void reportsEachRunAndMinMedianMax() throws IOException {
        String input = "reference/stsb-dev-sample.txt";
        CommandRun run = CommandRun.of("bench", "--input", Shared.arg(input), "--runs", "3", "--warmup", "0");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).startsWith("model: sentence-transformers/all-MiniLM-L6-v2 (onnx/model.onnx), batch size 32");
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        List<String> texts = TextLines.read(Shared.path(input));
        int tokens = texts.stream().mapToInt(text -> model.tokenizer().tokens(text).size()).sum();
        assertThat(lines.get(1)).startsWith(String.format(Locale.ROOT, "input: %d texts, %d tokens (%.1f per text)",
                texts.size(), tokens, tokens / (double) texts.size()));
        long[] sentencesPerSecond = new long[3];
        long[] tokensPerSecond = new long[3];
        for (int i = 0; i < 3; i++) {
            Matcher line = RUN.matcher(lines.get(2 + i));
            assertThat(line.matches()).as(lines.get(2 + i)).isTrue();
            assertThat(Integer.parseInt(line.group(1))).isEqualTo(i + 1);
            double seconds = Double.parseDouble(line.group(2));
            sentencesPerSecond[i] = Long.parseLong(line.group(3));
            tokensPerSecond[i] = Long.parseLong(line.group(4));
            // Per second is count / seconds; the seconds are printed to 0.005 and the rates to 0.5.
            assertThat(seconds).as(lines.get(2 + i)).isGreaterThanOrEqualTo(0.01);
            assertThat((double) sentencesPerSecond[i]).as(lines.get(2 + i))
                    .isBetween(texts.size() / (seconds + 0.005) - 0.5, texts.size() / (seconds - 0.005) + 0.5);
            assertThat((double) tokensPerSecond[i]).as(lines.get(2 + i))
                    .isCloseTo(sentencesPerSecond[i] * tokens / (double) texts.size(), within(0.5 + 0.5 * tokens / texts.size()));
        }
        assertThat(lines.get(5)).isEqualTo(summary("sentences/s", sentencesPerSecond));
        assertThat(lines.get(6)).isEqualTo(summary("tokens/s", tokensPerSecond));
        assertThat(lines.get(7)).matches("tokenizing alone: \\d+\\.\\d{3} s \\(\\d+\\.\\d% of a run\\)");
    }

    /** The summary line the three run lines make: their lowest, middle and highest rate. */
    private static String summary(String unit, long[] rates) {
        long[] sorted = rates.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%-12s min %d  median %d  max %d", unit, sorted[0], sorted[1], sorted[2]);
    }

    @Test
    void readsTheDistinctSentencesOfAnStsCsv() throws IOException {
        Path csv = Files.writeString(dir.resolve("sts.csv"),
                "A man plays.,\"A man, playing.\",4.5\nA man plays.,A dog runs.,0.5\nA dog runs.,A cat sleeps.,1\n");

        CommandRun run = CommandRun.of("bench", "--input", csv.toString(), "--runs", "1", "--warmup", "0",
                "--model", Shared.MINILM, "--quantized");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines().get(0)).contains("(onnx/model_quantized.onnx)");
        assertThat(run.outLines().get(1)).startsWith("input: 4 texts,");
    }

    @Test
    void withoutInputItNeedsTheStsFileBesideTheCheckout() {
        String home = System.getProperty("sentence4j.home");
        System.setProperty("sentence4j.home", dir.toString());
        try {
            CommandRun run = CommandRun.of("bench");

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.errLines()).singleElement().asString()
                    .startsWith("sentence4j: no --input given and the STS benchmark file is not at ");
        } finally {
            if (home == null) {
                System.clearProperty("sentence4j.home");
            } else {
                System.setProperty("sentence4j.home", home);
            }
        }
    }
}
