package dev.sentence4j.cli;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.TestModels;
import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encode against the reference vectors of shared/reference, and its failures. */
class EncodeCommandTest {
    private static final String STSB = "reference/stsb-dev-sample.txt";
    private static float[][] reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void readReference() throws IOException {
        reference = Npy.read(Shared.path("reference/stsb-dev-sample.all-MiniLM-L6-v2.npy"));
    }

    @Test
    void writesNpyMatchingTheReferenceAndReplacesAnOldFile() throws IOException {
        Path output = Files.writeString(dir.resolve("vectors.npy"), "an older file");

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.errLines()).singleElement().asString()
                .matches("wrote 200 vectors of dim 384 \\(float32\\) to " + Pattern.quote(output.toString())
                        + " in \\d+\\.\\d s");
        String header = new String(Files.readAllBytes(output), 0, 128, ISO_8859_1);
        assertThat(header).contains("'descr': '<f4'", "'fortran_order': False", "'shape': (200, 384)");
        assertClose(Npy.read(output), reference, REFERENCE_TOLERANCE);
        assertThat(filesIn(dir)).containsExactly(output);
    }

    @Test
    void writesJsonLinesMatchingTheReference() throws IOException {
        Path output = dir.resolve("vectors.jsonl");

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString(),
                "--batch-size", "7");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(output, UTF_8);
        assertThat(lines).hasSize(200);
        float[][] vectors = new float[lines.size()][];
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertThat(line.get("index").asInt()).isEqualTo(i);
            vectors[i] = new float[line.get("embedding").size()];
            for (int j = 0; j < vectors[i].length; j++) {
                vectors[i][j] = line.get("embedding").get(j).floatValue();
            }
        }
        assertClose(vectors, reference, REFERENCE_TOLERANCE);
    }

    @Test
    void keepsEmptyLinesAsTextsAndCanSkipNormalizing() throws IOException {
        Path input = Files.writeString(dir.resolve("tiny.txt"), "first text\n\nthird text\n");
        Path output = dir.resolve("tiny.npy");

        CommandRun run = CommandRun.of("encode", "--input", input.toString(), "--output", output.toString(),
                "--no-normalize");

        assertThat(run.status()).as(run.err()).isZero();
        float[][] vectors = Npy.read(output);
        List<String> texts = List.of("first text", "", "third text");
        float[][] expected = TestModels.get(Shared.MINILM).encode(texts, EncodeOptions.defaults().withNormalize(false));
        assertClose(vectors, expected, 1e-5, texts);
        // Mean-pooled MiniLM vectors are far from unit length until normalized.
        for (float[] vector : vectors) {
            assertThat(norm(vector)).isNotCloseTo(1.0, within(0.05));
        }
    }

    /** Issue 24, item 2: --field names the JSON lines format, --column the CSV format, whatever the file is called. */
    @Test
    void fieldOrColumnNamesTheFormatWhateverTheExtension() throws IOException {
        Path jsonLines = Files.writeString(dir.resolve("docs.txt"), "{\"body\": \"A man is eating food.\"}\n{\"body\": \"Hi\"}\n");
        Path csv = Files.writeString(dir.resolve("docs.data"), "id,body\n1,A man is eating food.\n2,Hi\n");
        float[][] expected = TestModels.get(Shared.MINILM).encode(List.of("A man is eating food.", "Hi"));

        for (List<String> args : List.of(List.of(jsonLines.toString(), "--field", "body"), List.of(csv.toString(), "--column", "body"))) {
            Path output = dir.resolve("fields.npy");
            CommandRun run = CommandRun.of("encode", "--input", args.get(0), args.get(1), args.get(2), "--output", output.toString());

            assertThat(run.status()).as(run.err()).isZero();
            assertClose(Npy.read(output), expected, 1e-5, List.of("A man is eating food.", "Hi"));
        }
        CommandRun both = CommandRun.of("encode", "--input", jsonLines.toString(), "--field", "body", "--column", "body",
                "--output", dir.resolve("both.npy").toString());
        assertThat(both.status()).isNotZero();
        assertThat(both.err()).contains("--field reads JSON lines and --column reads CSV: give one of them");
    }

    @Test
    void aMissingInputIsOneLineNamingTheFile() {
        Path missing = dir.resolve("missing.txt");

        CommandRun run = CommandRun.of("encode", "--input", missing.toString(), "--output", dir.resolve("x.npy").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("sentence4j: " + missing + " does not exist" + System.lineSeparator());
    }

    @Test
    void invalidUtf8NamesTheFileAndLine() throws IOException {
        Path input = Files.write(dir.resolve("latin1.txt"), "fine\ncaf\u00e9\n".getBytes(ISO_8859_1));

        CommandRun run = CommandRun.of("encode", "--input", input.toString(), "--output", dir.resolve("x.npy").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().isEqualTo("sentence4j: " + input + ", line 2: not valid UTF-8");
    }

    @Test
    void anUnknownExtensionIsNamed() {
        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", dir.resolve("x.csv").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("extension '.csv'", ".npy", ".jsonl");
    }

    @Test
    void aMissingOutputFolderIsNamed() {
        Path output = dir.resolve("no/such/folder/x.npy");

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly(
                "sentence4j: cannot write " + output + ": folder " + output.getParent() + " does not exist");
    }

    @Test
    void aFailedRunLeavesTheOldOutputAlone() throws IOException {
        Path output = Files.writeString(dir.resolve("vectors.npy"), "keep me");

        CommandRun run = CommandRun.of("encode", "--model", "no/such/model", "--input", Shared.arg(STSB),
                "--output", output.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("'no/such/model' is not a Hugging Face model id");
        assertThat(output).hasContent("keep me");
        assertThat(filesIn(dir)).containsExactly(output);
    }

    /**
     * .jsonl and .csv inputs are read as every command reads them: the text of a field or column, not the
     * raw line, giving the reference vectors; the token counts name the file's lines.
     */
    @Test
    void readsJsonLinesAndCsvByFieldAndColumn() throws IOException {
        List<String> texts = Files.readAllLines(Shared.path(STSB), UTF_8);
        ObjectMapper json = new ObjectMapper();
        StringBuilder jsonLines = new StringBuilder();
        StringBuilder csv = new StringBuilder("id,sentence\n");
        for (int i = 0; i < texts.size(); i++) {
            jsonLines.append(json.writeValueAsString(java.util.Map.of("id", i, "body", texts.get(i)))).append("\n");
            csv.append(i).append(",\"").append(texts.get(i).replace("\"", "\"\"")).append("\"\n");
        }
        Path jsonInput = Files.writeString(dir.resolve("texts.jsonl"), jsonLines);
        Path csvInput = Files.writeString(dir.resolve("texts.csv"), csv);
        Path counts = dir.resolve("counts.tsv");

        CommandRun fromJson = CommandRun.of("encode", "--input", jsonInput.toString(), "--field", "body",
                "--output", dir.resolve("json.npy").toString(), "--token-counts", counts.toString());
        CommandRun fromCsv = CommandRun.of("encode", "--input", csvInput.toString(), "--column", "sentence",
                "--output", dir.resolve("csv.npy").toString());

        assertThat(fromJson.status()).as(fromJson.err()).isZero();
        assertThat(fromCsv.status()).as(fromCsv.err()).isZero();
        assertClose(Npy.read(dir.resolve("json.npy")), reference, REFERENCE_TOLERANCE);
        assertClose(Npy.read(dir.resolve("csv.npy")), reference, REFERENCE_TOLERANCE);
        List<String> rows = Files.readAllLines(counts, UTF_8);
        assertThat(rows.get(1)).startsWith("1\t");
        assertThat(rows.get(2)).startsWith("2\t");
    }

    @Test
    void aBadJsonLineIsNamedBeforeTheModelLoads() throws IOException {
        Path input = Files.writeString(dir.resolve("texts.jsonl"), "{\"text\": \"fine\"}\n{\"body\": \"no text\"}\n");

        CommandRun run = CommandRun.of("encode", "--model", "no/such/model", "--input", input.toString(),
                "--output", dir.resolve("x.npy").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly(
                "sentence4j: " + input + ", line 2: no field 'text' (choose the field with --field)");
    }

    /** The input named again as the output, by any path, is refused before any work and stays as it was. */
    @Test
    void refusesToWriteOverItsInput() throws IOException {
        Path input = Files.writeString(dir.resolve("texts.jsonl"), "{\"text\": \"a sentence\"}\n");
        Path symbolic = Files.createSymbolicLink(dir.resolve("link.jsonl"), input.getFileName());
        Path hard = Files.createLink(dir.resolve("hard.jsonl"), input);
        Path roundabout = dir.resolve("sub/../texts.jsonl");
        Files.createDirectory(dir.resolve("sub"));

        for (Path output : List.of(input, symbolic, hard, roundabout)) {
            CommandRun run = CommandRun.of("encode", "--input", input.toString(), "--output", output.toString());

            assertThat(run.status()).as(run.err()).isEqualTo(1);
            assertThat(run.errLines()).containsExactly("sentence4j: cannot write " + output
                    + ": it is the same file as the input " + input + "; choose another file");
        }
        CommandRun counts = CommandRun.of("encode", "--input", input.toString(), "--output", dir.resolve("v.npy").toString(),
                "--token-counts", hard.toString());
        assertThat(counts.errLines()).containsExactly("sentence4j: cannot write " + hard
                + ": it is the same file as the input " + input + "; choose another file");
        assertThat(input).hasContent("{\"text\": \"a sentence\"}\n");
        assertThat(filesIn(dir)).containsExactlyInAnyOrder(input, symbolic, hard, dir.resolve("sub"));
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }
}
