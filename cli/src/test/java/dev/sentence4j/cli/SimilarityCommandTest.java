package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The walkthrough: seed sentence 1 against 2-6, with the figures of shared/reference/README.md. */
class SimilarityCommandTest {
    private static final String SEEDS = "data/seed-sentences.txt";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sentence-transformers/all-MiniLM-L6-v2 | 0.220594, 0.476377, 0.054843, 0.340702, 0.227431",
        "BAAI/bge-small-en-v1.5                 | 0.419566, 0.611070, 0.427378, 0.528917, 0.476001"
    })
    void ranksTheParaphraseFirstWithTheReferenceScores(String model, String expectedScores) throws IOException {
        List<String> seeds = Files.readAllLines(Shared.path(SEEDS));

        CommandRun run = CommandRun.of("similarity", "--model", model, "--input", Shared.arg(SEEDS));

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("Query: " + seeds.get(0));
        assertThat(lines.get(1)).endsWith("  " + seeds.get(2));
        Map<String, Double> printed = scoresByText(lines.subList(1, lines.size()));
        assertThat(List.copyOf(printed.values())).isSortedAccordingTo(Comparator.reverseOrder());
        String[] expected = expectedScores.split(",\\s*");
        for (int i = 0; i < expected.length; i++) {
            assertThat(printed.get(seeds.get(i + 1))).as("sentence %d", i + 2)
                    .isCloseTo(Double.parseDouble(expected[i]), within(1e-4));
        }
    }

    private static Map<String, Double> scoresByText(List<String> lines) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String line : lines) {
            assertThat(line).matches("-?\\d\\.\\d{4}  .*");
            int gap = line.indexOf("  ");
            scores.put(line.substring(gap + 2), Double.parseDouble(line.substring(0, gap)));
        }
        return scores;
    }

    @Test
    void takesTheTextsFromArguments() {
        CommandRun run = CommandRun.of("similarity",
                "A man is playing a guitar.", "A woman is slicing an onion.", "Someone plays the guitar.");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.outLines().get(1)).endsWith("  Someone plays the guitar.");
        assertThat(run.outLines().get(2)).endsWith("  A woman is slicing an onion.");
    }

    @Test
    void needsAQueryAndAnotherText(@TempDir Path dir) throws IOException {
        CommandRun oneArgument = CommandRun.of("similarity", "alone");
        assertThat(oneArgument.status()).isEqualTo(2);
        assertThat(oneArgument.errLines()).containsExactly("sentence4j: need at least 2 texts (a query and one to "
                + "compare it with), got 1; see 'sentence4j similarity --help'");

        Path oneLine = Files.writeString(dir.resolve("one.txt"), "alone\n");
        CommandRun oneText = CommandRun.of("similarity", "--input", oneLine.toString());
        assertThat(oneText.status()).isEqualTo(1);
        assertThat(oneText.errLines()).singleElement().asString().startsWith("sentence4j: " + oneLine + " holds 1 text");
    }

    @Test
    void takesArgumentsOrAFileNotBoth() {
        CommandRun run = CommandRun.of("similarity", "--input", Shared.arg(SEEDS), "extra text");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("not both");
    }
}
