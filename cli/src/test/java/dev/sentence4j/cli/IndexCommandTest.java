package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** index build, then index query in later runs, each opening the folder afresh, against exact search. */
class IndexCommandTest {
    @TempDir
    static Path shared;
    private static Path index;
    private static CommandRun build;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTheSampleIndex() throws IOException {
        SearchCommandTest.readReference();
        index = shared.resolve("sample-index");
        build = CommandRun.of("index", "build", "--corpus", Shared.arg(SearchCommandTest.SAMPLE), "--index", index.toString());
    }

    @Test
    void buildsAFolderThatRecordsItsModel() throws IOException {
        assertThat(build.status()).as(build.err()).isZero();
        assertThat(build.errLines()).singleElement().asString().matches("indexed 200 texts of .*stsb-dev-sample\\.txt into "
                + ".*sample-index with sentence-transformers/all-MiniLM-L6-v2 \\(onnx/model\\.onnx, 384 dimensions, "
                + "cosine\\) in \\d+\\.\\d s");
        JsonNode info = new ObjectMapper().readTree(index.resolve("sentence4j-index.json").toFile());
        assertThat(info.get("count").asInt()).isEqualTo(200);
        assertThat(info.get("similarity_function").asText()).isEqualTo("cosine");
    }

    @Test
    void answersQueriesAsExactSearchDoes() throws IOException {
        CommandRun run = CommandRun.of("index", "query", "--index", index.toString(), "--queries",
                SearchCommandTest.queryFile(dir).toString(), "--top-k", "5", "--format", "json");
        CommandRun again = CommandRun.of("index", "query", "--index", index.toString(), "--queries",
                SearchCommandTest.queryFile(dir).toString(), "--top-k", "5", "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(again.out()).isEqualTo(run.out());
        JsonNode results = new ObjectMapper().readTree(run.out());
        assertThat(results).hasSize(SearchCommandTest.QUERY_LINES.length);
        for (int q = 0; q < results.size(); q++) {
            int queryLine = SearchCommandTest.QUERY_LINES[q];
            JsonNode matches = results.get(q).get("matches");
            assertThat(matches.findValuesAsText("line")).as("query line %d", queryLine)
                    .isEqualTo(SearchCommandTest.expectedLines(queryLine, 5).stream().map(String::valueOf).toList());
            for (JsonNode match : matches) {
                assertThat(match.get("score").asDouble())
                        .isCloseTo(SearchCommandTest.score(queryLine, match.get("line").asInt()), within(1e-5));
            }
        }
    }

    @Test
    void printsATableForOneQuery() {
        CommandRun run = CommandRun.of("index", "query", "--index", index.toString(), "--query",
                SearchCommandTest.sample.get(16), "--top-k", "2");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.outLines().get(1)).matches("  1\\. 1\\.0000  line 17: .*");
    }

    @Test
    void anotherModelOrAMissingIndexIsOneLine() {
        CommandRun otherModel = CommandRun.of("index", "query", "--index", index.toString(), "--model",
                "BAAI/bge-small-en-v1.5", "--query", "x");
        Path missing = dir.resolve("missing");
        CommandRun noIndex = CommandRun.of("index", "query", "--index", missing.toString(), "--query", "x");

        assertThat(otherModel.status()).isEqualTo(1);
        assertThat(otherModel.errLines()).singleElement().asString().startsWith("sentence4j: the index " + index
                + " was built with sentence-transformers/all-MiniLM-L6-v2 (onnx/model.onnx, 384 dimensions, cosine); "
                + "it cannot be searched with BAAI/bge-small-en-v1.5");
        assertThat(noIndex.errLines()).containsExactly("sentence4j: no index at " + missing + ": the folder does not exist");
    }

    @Test
    void neverOverwritesAnIndexAndLeavesNothingAfterABadCorpus() throws IOException {
        CommandRun again = CommandRun.of("index", "build", "--corpus", Shared.arg(SearchCommandTest.SAMPLE), "--index",
                index.toString());
        Path corpus = Files.writeString(dir.resolve("corpus.csv"), "text\nfine\n\"broken\n");
        CommandRun bad = CommandRun.of("index", "build", "--corpus", corpus.toString(), "--index",
                dir.resolve("new-index").toString());

        assertThat(again.status()).isEqualTo(1);
        assertThat(again.errLines()).containsExactly("sentence4j: cannot build an index in " + index
                + ": the folder is not empty; remove it or choose another");
        assertThat(bad.errLines()).containsExactly("sentence4j: " + corpus + ", line 3: a quoted field is not closed (column 1)");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(corpus);
        }
    }
}
