package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.TestModels;
import dev.sentence4j.search.ChunkSizes;
import dev.sentence4j.search.ParaphraseMining;
import dev.sentence4j.search.ScoredPair;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParaphrasesCommandTest {
    private static final String TEXTS = String.join("\n", "id,text",
            "1,A man is playing a guitar.",
            "2,\"The cat sleeps, curled up, on the sofa.\"",
            "3,Stock markets fell sharply today.",
            "4,A man plays the guitar.",
            "5,A cat is sleeping on a couch.") + "\n";

    /** The texts of the file's rows 2 to 6, in order. */
    private static final List<String> ROWS = List.of("A man is playing a guitar.", "The cat sleeps, curled up, on the sofa.",
            "Stock markets fell sharply today.", "A man plays the guitar.", "A cat is sleeping on a couch.");
    private static final Pattern TABLE_LINE = Pattern.compile("(-?\\d\\.\\d{4})  lines (\\d+) and (\\d+): (.*)  \\|  (.*)");

    @TempDir
    Path dir;

    /** What the library mines from the same texts with the same model. */
    private static List<ScoredPair> library(int topK, int maxPairs) {
        float[][] vectors = TestModels.get(Shared.MINILM).encode(ROWS);
        return ParaphraseMining.mine(vectors, SimilarityFunction.COSINE, topK, maxPairs, ChunkSizes.defaults());
    }

    @Test
    void printsTheMostSimilarPairsFirst() throws IOException {
        Path input = Files.writeString(dir.resolve("texts.csv"), TEXTS);

        CommandRun run = CommandRun.of("paraphrases", "--input", input.toString(), "--column", "text", "--top-k", "1");

        assertThat(run.status()).as(run.err()).isZero();
        List<ScoredPair> expected = library(1, ParaphraseMining.DEFAULT_MAX_PAIRS);
        // The guitars pair up, the cats too, and the markets' nearest other text, however far, makes a third pair.
        assertThat(expected).hasSize(3);
        assertThat(run.outLines()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Matcher line = TABLE_LINE.matcher(run.outLines().get(i));
            assertThat(line.matches()).as(run.outLines().get(i)).isTrue();
            ScoredPair pair = expected.get(i);
            assertThat(List.of(line.group(2), line.group(3), line.group(4), line.group(5))).containsExactly(
                    String.valueOf(pair.first() + 2), String.valueOf(pair.second() + 2),
                    ROWS.get(pair.first()), ROWS.get(pair.second()));
            assertThat(Float.parseFloat(line.group(1))).as(run.outLines().get(i)).isCloseTo(pair.score(), within(1e-4f));
        }
        assertThat(run.outLines()).extracting(line -> Float.parseFloat(line.substring(0, line.indexOf(' '))))
                .isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void printsJsonAndStopsAtMaxPairs() throws IOException {
        Path input = Files.writeString(dir.resolve("texts.csv"), TEXTS);

        CommandRun run = CommandRun.of("paraphrases", "--input", input.toString(), "--column", "2", "--max-pairs", "4",
                "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode pairs = new ObjectMapper().readTree(run.out());
        List<ScoredPair> expected = library(ParaphraseMining.DEFAULT_TOP_K, 4);
        assertThat(pairs).hasSize(4).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode pair = pairs.get(i);
            ScoredPair best = expected.get(i);
            assertThat(List.of(pair.get("line1").asInt(), pair.get("line2").asInt())).as("pair %d", i)
                    .containsExactly(best.first() + 2, best.second() + 2);
            assertThat(List.of(pair.get("text1").asText(), pair.get("text2").asText())).as("pair %d", i)
                    .containsExactly(ROWS.get(best.first()), ROWS.get(best.second()));
            assertThat(pair.get("score").floatValue()).as("pair %d", i).isCloseTo(best.score(), within(1e-4f));
        }
        assertThat(pairs).extracting(pair -> pair.get("score").asDouble()).isSortedAccordingTo(Comparator.reverseOrder());
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
