package dev.sentence4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encode with the st6 SPLADE fixture: sparse JSON lines holding exactly the library's non-zero entries. */
class SparseEncodeCommandTest {
    static final String MODEL = "fixtures/st6/models/splade-bert";
    static final String TEXTS = "fixtures/st6/public.txt";
    private static float[][] reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void readReference() throws IOException {
        reference = Npy.read(Shared.path("fixtures/st6/reference/splade-bert.public.npy"));
    }

    @Test
    void writesSparseJsonLinesOfTheLibrarysEntries() throws IOException {
        Path output = dir.resolve("sparse.jsonl");

        CommandRun run = CommandRun.of("encode", "--model", Shared.arg(MODEL), "--input", Shared.arg(TEXTS), "--output",
                output.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.errLines()).singleElement().asString()
                .matches("wrote 80 sparse vectors of dim 1500 \\(\\d+\\.\\d non-zero entries each on average\\) to .* in \\d+\\.\\d s");
        List<String> lines = Files.readAllLines(output, UTF_8);
        assertThat(lines).hasSize(80);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row = json.readTree(lines.get(i));
            float[] expected = reference[i];
            int[] nonZero = IntStream.range(0, expected.length).filter(v -> expected[v] != 0).toArray();
            assertThat(row.get("index").asInt()).isEqualTo(i);
            int[] indices = IntStream.range(0, row.get("indices").size()).map(k -> row.get("indices").get(k).asInt()).toArray();
            assertThat(indices).as("line %d", i + 1).containsExactly(nonZero);
            for (int k = 0; k < indices.length; k++) {
                assertThat(row.get("values").get(k).floatValue()).isCloseTo(expected[indices[k]], within(1e-5f));
            }
        }
    }

    /** A sparse encode reads its input as every command does, and refuses to write over it, as a dense one does. */
    @Test
    void readsJsonLinesByFieldAndNeverWritesOverItsInput() throws IOException {
        List<String> texts = Files.readAllLines(Shared.path(TEXTS), UTF_8).subList(0, 3);
        StringBuilder jsonLines = new StringBuilder();
        for (String text : texts) {
            jsonLines.append(new ObjectMapper().writeValueAsString(java.util.Map.of("body", text))).append("\n");
        }
        Path input = Files.writeString(dir.resolve("texts.jsonl"), jsonLines);
        Path output = dir.resolve("sparse.jsonl");

        CommandRun overInput = CommandRun.of("encode", "--model", Shared.arg(MODEL), "--input", input.toString(),
                "--field", "body", "--output", input.toString());
        CommandRun run = CommandRun.of("encode", "--model", Shared.arg(MODEL), "--input", input.toString(), "--field", "body",
                "--output", output.toString());

        assertThat(overInput.errLines()).containsExactly("sentence4j: cannot write " + input
                + ": it is the same file as the input " + input + "; choose another file");
        assertThat(input).hasContent(jsonLines.toString());
        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(output, UTF_8);
        assertThat(lines).hasSize(texts.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode indices = new ObjectMapper().readTree(lines.get(i)).get("indices");
            float[] expected = reference[i];
            assertThat(IntStream.range(0, indices.size()).map(k -> indices.get(k).asInt()).toArray())
                    .containsExactly(IntStream.range(0, expected.length).filter(v -> expected[v] != 0).toArray());
        }
    }

    @Test
    void maxActiveDimsKeepsThatManyEntries() throws IOException {
        Path output = dir.resolve("top.jsonl");

        CommandRun run = CommandRun.of("encode", "--model", Shared.arg(MODEL), "--input", Shared.arg(TEXTS), "--output",
                output.toString(), "--max-active-dims", "5");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(output, UTF_8);
        assertThat(lines).hasSize(reference.length);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row = new ObjectMapper().readTree(lines.get(i));
            float[] expected = reference[i];
            // The five largest entries of the library's row (the fixture's rows have no ties among them).
            int[] topFive = IntStream.range(0, expected.length).boxed()
                    .sorted((a, b) -> Float.compare(expected[b], expected[a])).limit(5).mapToInt(Integer::intValue).sorted().toArray();
            assertThat(row.get("indices")).hasSize(5);
            assertThat(IntStream.range(0, 5).map(k -> row.get("indices").get(k).asInt()).toArray()).as("line %d", i + 1)
                    .containsExactly(topFive);
            for (int k = 0; k < 5; k++) {
                assertThat(row.get("values").get(k).floatValue()).isCloseTo(expected[topFive[k]], within(1e-5f));
            }
        }
    }

    @Test
    void infoTellsTheVocabularyAndThePooling() {
        CommandRun run = CommandRun.of("info", "--model", Shared.arg(MODEL));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).contains("family: SparseEncoder", "dimension: 1500", "pooling: splade max+relu",
                "similarity_function: dot", "onnx_output: logits");
    }

    @Test
    void refusesWhatDoesNotFitASparseModel() throws IOException {
        CommandRun npy = CommandRun.of("encode", "--model", Shared.arg(MODEL), "--input", Shared.arg(TEXTS), "--output",
                dir.resolve("sparse.npy").toString());
        assertThat(npy.status()).isEqualTo(1);
        assertThat(npy.err()).contains("a sparse model's vectors are written to .jsonl");

        CommandRun truncate = CommandRun.of("encode", "--model", Shared.arg(MODEL), "--input", Shared.arg(TEXTS), "--output",
                dir.resolve("a.jsonl").toString(), "--truncate-dim", "8", "--no-normalize");
        assertThat(truncate.status()).isEqualTo(2);
        assertThat(truncate.err()).contains("--[no-]normalize, --truncate-dim applies to dense vectors");

        CommandRun dense = CommandRun.of("encode", "--model", Shared.arg("fixtures/st6/models/seed-bert-mean"), "--input",
                Shared.arg(TEXTS), "--output", dir.resolve("b.jsonl").toString(), "--max-active-dims", "3");
        assertThat(dense.status()).isEqualTo(2);
        assertThat(dense.err()).contains("--max-active-dims applies to sparse models");

        CommandRun crossEncoder = CommandRun.of("encode", "--model", Shared.arg(RerankCommandTest.MODEL), "--input",
                Shared.arg(TEXTS), "--output", dir.resolve("c.jsonl").toString());
        assertThat(crossEncoder.status()).isEqualTo(1);
        assertThat(crossEncoder.err()).contains("encode needs a SentenceTransformer, a SparseEncoder (SPLADE) or a MultiVectorEncoder (ColBERT)")
                .contains("is a CrossEncoder model");
        assertThat(Files.list(dir)).isEmpty();
    }
}
