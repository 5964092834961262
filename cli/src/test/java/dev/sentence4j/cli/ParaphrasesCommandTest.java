package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParaphrasesCommandTest {
    private static final String TEXTS = String.join("\n", "id,text",
            "1,A man is playing a guitar.",
            "2,\"The cat sleeps, curled up, on the sofa.\"",
            "3,Stock markets fell sharply today.",
            "4,A man plays the guitar.",
            "5,A cat is sleeping on a couch.") + "\n";

    @TempDir
    Path dir;

    @Test
    void printsTheMostSimilarPairsFirst() throws IOException {
        Path input = Files.writeString(dir.resolve("texts.csv"), TEXTS);

        CommandRun run = CommandRun.of("paraphrases", "--input", input.toString(), "--column", "text", "--top-k", "1");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        // Each text's nearest other text: the guitars and the cats pair up; the markets' nearest adds a third pair at most.
        assertThat(lines).hasSizeBetween(2, 3);
        assertThat(lines.subList(0, 2)).anySatisfy(line -> assertThat(line).matches(
                "0\\.\\d{4}  lines 2 and 5: A man is playing a guitar\\.  \\|  A man plays the guitar\\."));
        assertThat(lines.subList(0, 2)).anySatisfy(line -> assertThat(line).matches(
                "0\\.\\d{4}  lines 3 and 6: The cat sleeps, curled up, on the sofa\\.  \\|  A cat is sleeping on a couch\\."));
    }

    @Test
    void printsJsonAndStopsAtMaxPairs() throws IOException {
        Path input = Files.writeString(dir.resolve("texts.csv"), TEXTS);

        CommandRun run = CommandRun.of("paraphrases", "--input", input.toString(), "--column", "2", "--max-pairs", "4",
                "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode pairs = new ObjectMapper().readTree(run.out());
        assertThat(pairs).hasSize(4);
        assertThat(pairs.get(0).get("score").asDouble()).isGreaterThanOrEqualTo(pairs.get(3).get("score").asDouble());
        assertThat(pairs.get(0).get("line1").asInt()).isLessThan(pairs.get(0).get("line2").asInt());
        assertThat(pairs.get(0).get("text1").asText()).isIn(List.of(TEXTS.split("\n")).stream()
                .map(row -> row.substring(row.indexOf(',') + 1).replace("\"", "")).toList());
    }

    @Test
    void aRowWithoutTheColumnIsNamed() throws IOException {
        Path input = Files.writeString(dir.resolve("texts.csv"), "id,text\n1,Fine.\n2\n");

        CommandRun run = CommandRun.of("paraphrases", "--input", input.toString(), "--column", "text");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly(
                "sentence4j: " + input + ", line 3: has 1 column(s), so no column 2 ('text')");
    }
}
