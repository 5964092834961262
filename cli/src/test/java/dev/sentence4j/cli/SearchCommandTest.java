package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.io.Npy;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** search on the 200 reference sentences, against a brute-force ranking of their reference vectors. */
class SearchCommandTest {
    static final String SAMPLE = "reference/stsb-dev-sample.txt";
    /** Lines of the sample used as queries. */
    static final int[] QUERY_LINES = {5, 17, 42, 100, 163};
    private static final Pattern MATCH = Pattern.compile(" *(\\d+)\\. (-?\\d\\.\\d{4})  line (\\d+): (.*)");

    static List<String> sample;
    private static float[][] reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void readReference() throws IOException {
        sample = Files.readAllLines(Shared.path(SAMPLE));
        reference = Npy.read(Shared.path("reference/stsb-dev-sample.all-MiniLM-L6-v2.npy"));
    }

    /** The queries' file: the sample's lines {@link #QUERY_LINES}. */
    static Path queryFile(Path dir) throws IOException {
        return Files.write(dir.resolve("queries.txt"), IntStream.of(QUERY_LINES).mapToObj(line -> sample.get(line - 1)).toList());
    }

    /** The lines of the sample's top k for a sample line, by cosine of the reference vectors, ties by lower line. */
    static List<Integer> expectedLines(int queryLine, int k) {
        return IntStream.range(0, reference.length).boxed()
                .sorted(Comparator.comparing((Integer j) -> -score(queryLine, j + 1)).thenComparing(j -> j))
                .limit(k).map(j -> j + 1).toList();
    }

    static float score(int queryLine, int line) {
        return SimilarityFunction.COSINE.score(reference[queryLine - 1], reference[line - 1]);
    }

    @Test
    void ranksTheCorpusAsBruteForceOnTheReferenceVectors() throws IOException {
        CommandRun run = CommandRun.of("search", "--corpus", Shared.arg(SAMPLE), "--queries", queryFile(dir).toString(),
                "--top-k", "5");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(QUERY_LINES.length * 7 - 1);
        for (int q = 0; q < QUERY_LINES.length; q++) {
            int queryLine = QUERY_LINES[q];
            assertThat(lines.get(q * 7)).isEqualTo("Query: " + sample.get(queryLine - 1));
            List<Integer> found = new ArrayList<>();
            for (int rank = 1; rank <= 5; rank++) {
                Matcher match = MATCH.matcher(lines.get(q * 7 + rank));
                assertThat(match.matches()).as(lines.get(q * 7 + rank)).isTrue();
                int line = Integer.parseInt(match.group(3));
                assertThat(match.group(1)).isEqualTo(String.valueOf(rank));
                assertThat(Double.parseDouble(match.group(2))).isCloseTo(score(queryLine, line), within(1e-4));
                assertThat(match.group(4)).isEqualTo(sample.get(line - 1));
                found.add(line);
            }
            assertThat(found).as("query line %d", queryLine).isEqualTo(expectedLines(queryLine, 5));
            // A query that is itself in the corpus finds itself first.
            assertThat(found.get(0)).isEqualTo(queryLine);
        }
    }

    @Test
    void printsJsonAndReadsAJsonLinesCorpus() throws IOException {
        List<String> jsonLines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String sentence : sample) {
            jsonLines.add(json.createObjectNode().put("id", jsonLines.size()).put("sentence", sentence).toString());
        }
        jsonLines.add(1, "");
        Path corpus = Files.write(dir.resolve("corpus.jsonl"), jsonLines);

        CommandRun run = CommandRun.of("search", "--corpus", corpus.toString(), "--field", "sentence", "--format", "json",
                "--query", sample.get(41), "--query", sample.get(99), "--top-k", "3");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode results = json.readTree(run.out());
        assertThat(results).hasSize(2);
        for (int q = 0; q < 2; q++) {
            int queryLine = new int[] {42, 100}[q];
            JsonNode result = results.get(q);
            assertThat(result.get("query").asText()).isEqualTo(sample.get(queryLine - 1));
            assertThat(result.get("matches")).hasSize(3);
            for (int rank = 0; rank < 3; rank++) {
                JsonNode match = result.get("matches").get(rank);
                int sampleLine = expectedLines(queryLine, 3).get(rank);
                assertThat(match.get("rank").asInt()).isEqualTo(rank + 1);
                // Line 1 of the file is the first sentence, line 2 is blank, then the rest one line later.
                assertThat(match.get("line").asInt()).isEqualTo(sampleLine == 1 ? 1 : sampleLine + 1);
                assertThat(match.get("text").asText()).isEqualTo(sample.get(sampleLine - 1));
                assertThat(match.get("score").asDouble()).isCloseTo(score(queryLine, sampleLine), within(1e-5));
            }
        }
    }

    @Test
    void aBadCorpusLineIsNamedBeforeTheModelLoads() throws IOException {
        Path corpus = Files.writeString(dir.resolve("corpus.jsonl"), "{\"text\": \"fine\"}\n{\"text\": \"fine\"}\n{\"text\": \n");

        CommandRun run = CommandRun.of("search", "--model", "no-such-model", "--corpus", corpus.toString(), "--query", "x");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("sentence4j: " + corpus + ", line 3: not JSON (");
    }

    @Test
    void needsQueriesOneWayAndAPositiveTopK() {
        CommandRun none = CommandRun.of("search", "--corpus", Shared.arg(SAMPLE));
        CommandRun both = CommandRun.of("search", "--corpus", Shared.arg(SAMPLE), "--query", "x", "--queries", "q.txt");
        CommandRun zero = CommandRun.of("search", "--corpus", Shared.arg(SAMPLE), "--query", "x", "--top-k", "0");
        CommandRun format = CommandRun.of("search", "--corpus", Shared.arg(SAMPLE), "--query", "x", "--format", "xml");

        assertThat(none.status()).isEqualTo(2);
        assertThat(none.errLines()).containsExactly("sentence4j: give the queries with --query or --queries, one of them; "
                + "see 'sentence4j search --help'");
        assertThat(both.errLines()).singleElement().asString().contains("--query or --queries, not both");
        assertThat(zero.errLines()).singleElement().asString().contains("--top-k must be at least 1, got 0");
        assertThat(format.status()).isEqualTo(2);
        assertThat(format.errLines()).singleElement().asString().contains("'xml'", "TABLE", "JSON");
    }
}
