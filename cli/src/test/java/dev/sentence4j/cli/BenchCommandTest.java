package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.io.TextLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench: what it measures and reports (not how fast: that is BENCHMARKS.md's business). */
class BenchCommandTest {
    private static final Pattern SUMMARY = Pattern.compile("(\\S+)\\s+min (\\d+)  median (\\d+)  max (\\d+)");

    @TempDir
    Path dir;

    @Test
    void reportsEachRunAndMinMedianMax() throws IOException {
        CommandRun run = CommandRun.of("bench", "--input", Shared.arg("data/seed-sentences.txt"), "--runs", "3", "--warmup", "0");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).startsWith("model: sentence-transformers/all-MiniLM-L6-v2 (onnx/model.onnx), batch size 32");
        int tokens;
        try (SentenceTransformer model = SentenceTransformer.load(Shared.MINILM)) {
            tokens = TextLines.read(Shared.path("data/seed-sentences.txt")).stream()
                    .mapToInt(text -> model.tokenizer().tokens(text).size()).sum();
        }
        assertThat(lines.get(1)).startsWith(String.format(Locale.ROOT, "input: 6 texts, %d tokens (%.1f per text)", tokens, tokens / 6.0));
        assertThat(lines.subList(2, 5)).allMatch(line -> line.matches("run \\d: \\d+\\.\\d\\d s, \\d+ sentences/s, \\d+ tokens/s"));
        for (String line : lines.subList(5, 7)) {
            Matcher summary = SUMMARY.matcher(line);
            assertThat(summary.matches()).as(line).isTrue();
            int min = Integer.parseInt(summary.group(2));
            int median = Integer.parseInt(summary.group(3));
            int max = Integer.parseInt(summary.group(4));
            assertThat(min).isPositive().isLessThanOrEqualTo(median);
            assertThat(median).isLessThanOrEqualTo(max);
        }
        assertThat(lines.get(5)).startsWith("sentences/s");
        assertThat(lines.get(6)).startsWith("tokens/s");
        assertThat(lines.get(7)).matches("tokenizing alone: \\d+\\.\\d{3} s \\(\\d+\\.\\d% of a run\\)");
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
