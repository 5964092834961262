package dev.sentence4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeJobTest {
    private static SparkSession spark;
    private static List<String> sentences;
    private static float[][] reference;

    @TempDir
    Path folder;

    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        sentences = Reference.sentences();
        reference = Reference.vectors();
    }

    private int run(String... args) {
        return EncodeJob.run(args, spark, new PrintWriter(err, true));
    }

    /** The part files Spark wrote, in partition order. */
    private static List<Path> parts(Path output, String extension) throws IOException {
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(f -> f.getFileName().toString().startsWith("part-") && f.toString().endsWith(extension))
                    .sorted().toList();
        }
    }

    private static void assertCloseTo(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int d = 0; d < expected.length; d++) {
            assertThat((double) actual[d]).as("%s, dimension %d", what, d).isCloseTo(expected[d], within(Reference.TOLERANCE));
        }
    }

    @Test
    void textInParquetOutGivesTheReferenceVectorsInOrder() throws IOException {
        Path output = folder.resolve("vectors.parquet");

        int status = run("--input", Reference.sentencesFile().toString(), "--output", output.toString(),
                "--model", Reference.MODEL);

        assertThat(status).as(err.toString()).isZero();
        assertThat(err.toString()).contains("sentence4j: wrote 200 rows to " + output + " (parquet)");
        List<Row> rows = new ArrayList<>();
        for (Path part : parts(output, ".parquet")) {
            rows.addAll(spark.read().parquet(part.toString()).collectAsList());
        }
        assertThat(rows).hasSize(sentences.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertThat(row.schema().fieldNames()).containsExactly("text", "embedding");
            assertThat(row.getString(0)).isEqualTo(sentences.get(i));
            List<Float> values = row.getList(1);
            float[] vector = new float[values.size()];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = values.get(d);
            }
            assertCloseTo(vector, reference[i], "line " + (i + 1));
        }
    }

    @Test
    void csvInJsonLinesOutKeepsTheOtherColumnsAndWritesNullVectors() throws IOException {
        Path input = folder.resolve("docs.csv");
        StringBuilder csv = new StringBuilder("id,text,label\n");
        for (int i = 0; i < sentences.size(); i++) {
            csv.append(i).append(",\"").append(sentences.get(i).replace("\"", "\"\"")).append("\",l").append(i % 3).append('\n');
        }
        csv.append("200,,none\n");
        Files.writeString(input, csv, StandardCharsets.UTF_8);
        Path output = folder.resolve("vectors");

        int status = run("--input", input.toString(), "--column", "text", "--output", output.toString(),
                "--format", "jsonl");

        assertThat(status).as(err.toString()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (Path part : parts(output, ".json")) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                rows.add(json.readTree(line));
            }
        }
        assertThat(rows).hasSize(sentences.size() + 1);
        for (int i = 0; i < sentences.size(); i++) {
            JsonNode row = rows.get(i);
            assertThat(row.get("id").asText()).isEqualTo(String.valueOf(i));
            assertThat(row.get("text").asText()).isEqualTo(sentences.get(i));
            assertThat(row.get("label").asText()).isEqualTo("l" + (i % 3));
            JsonNode values = row.get("embedding");
            float[] vector = new float[values.size()];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = values.get(d).floatValue();
            }
            assertCloseTo(vector, reference[i], "row " + i);
        }
        JsonNode last = rows.get(sentences.size());
        assertThat(last.get("id").asText()).isEqualTo("200");
        assertThat(last.get("text").isNull()).as("CSV reads an empty field as null").isTrue();
        assertThat(last.has("embedding")).isTrue();
        assertThat(last.get("embedding").isNull()).isTrue();
    }

    @Test
    void jsonLinesInReadsTheNamedColumn() throws IOException {
        Path input = folder.resolve("docs.jsonl");
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            lines.append(json.writeValueAsString(java.util.Map.of("n", i, "body", sentences.get(i)))).append('\n');
        }
        Files.writeString(input, lines, StandardCharsets.UTF_8);
        Path output = folder.resolve("out");

        int status = run("--input", input.toString(), "--column", "body", "--output", output.toString(),
                "--output-column", "vec");

        assertThat(status).as(err.toString()).isZero();
        List<Row> rows = spark.read().parquet(output.toString()).orderBy("n").collectAsList();
        assertThat(rows).hasSize(5);
        for (Row row : rows) {
            int n = (int) row.getLong(row.fieldIndex("n"));
            List<Float> values = row.getList(row.fieldIndex("vec"));
            float[] vector = new float[values.size()];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = values.get(d);
            }
            assertCloseTo(vector, reference[n], "row " + n);
        }
    }

    /**
     * Issue 24, item 1: --overwrite never deletes the input: an output that is the input file, or a folder
     * holding it, by any spelling (a symbolic or hard link, {@code ..}), is refused before anything is touched.
     */
    @Test
    void anOutputThatIsOrHoldsTheInputIsRefusedBeforeAnythingIsDeleted() throws IOException {
        Path parent = Files.createDirectories(folder.resolve("par"));
        Path input = Files.writeString(parent.resolve("a.csv"), "text\nhello\n", StandardCharsets.UTF_8);
        Path link = Files.createSymbolicLink(folder.resolve("link"), parent);
        Path hardLink = Files.createLink(folder.resolve("b.csv"), input);
        List<String> outputs = List.of(input.toString(), parent.toString(), link.toString(), parent.resolve("sub/..").toString(),
                folder.toString(), hardLink.toString(), "file:" + parent);

        for (String output : outputs) {
            StringWriter said = new StringWriter();
            int status = EncodeJob.run(new String[] {"--input", input.toString(), "--output", output, "--overwrite",
                    "--model", Reference.MODEL}, spark, new PrintWriter(said, true));

            assertThat(status).as(output + ": " + said).isEqualTo(2);
            assertThat(said.toString()).as(output).startsWith("sentence4j: the output " + output)
                    .contains("the input " + input + ", which writing the output (--overwrite) would delete; choose another output")
                    .hasLineCount(1);
            assertThat(Files.readString(input)).isEqualTo("text\nhello\n");
        }
    }

    /** An output folder from an earlier run is replaced whole: its files are gone, the new rows are there. */
    @Test
    void overwriteReplacesAnEarlierOutput() throws IOException {
        Path input = folder.resolve("first.txt");
        Files.write(input, sentences.subList(0, 5), StandardCharsets.UTF_8);
        Path output = folder.resolve("vectors");
        assertThat(run("--input", input.toString(), "--output", output.toString(), "--format", "jsonl")).as(err.toString()).isZero();
        Path stray = Files.writeString(output.resolve("notes.txt"), "left by someone", StandardCharsets.UTF_8);
        List<Path> earlier = parts(output, ".json");
        assertThat(earlier).isNotEmpty();

        Files.write(input, sentences.subList(5, 8), StandardCharsets.UTF_8);
        int status = run("--input", input.toString(), "--output", output.toString(), "--format", "jsonl", "--overwrite");

        assertThat(status).as(err.toString()).isZero();
        assertThat(stray).doesNotExist();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (Path part : parts(output, ".json")) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                rows.add(json.readTree(line));
            }
        }
        assertThat(rows).extracting(row -> row.get("text").asText()).containsExactlyElementsOf(sentences.subList(5, 8));
        for (int i = 0; i < rows.size(); i++) {
            JsonNode values = rows.get(i).get("embedding");
            float[] vector = new float[values.size()];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = values.get(d).floatValue();
            }
            assertCloseTo(vector, reference[5 + i], "row " + i);
        }
    }

    /** Issue 24, item 8: a JSON object in the text field of some lines is refused, not embedded as its JSON text. */
    @Test
    void aJsonObjectInTheTextColumnIsRefused() throws IOException {
        Path input = Files.writeString(folder.resolve("docs.jsonl"), "{\"text\": \"hello\"}\n{\"text\": {\"title\": \"a\"}}\n",
                StandardCharsets.UTF_8);

        assertThat(run("--input", input.toString(), "--output", folder.resolve("out").toString(), "--model", Reference.MODEL))
                .as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("sentence4j: " + input + ": column 'text' holds a JSON object rather than text in"
                + " some lines, such as {\"title\":\"a\"}; give --column the field that holds each line's text\n");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void mistakesGetOneLineNamingThem() throws IOException {
        Path output = folder.resolve("taken");
        Files.createDirectories(output);
        String input = Reference.sentencesFile().toString();

        assertThat(run("--input", input, "--output", output.toString())).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains(output + " already exists; give --overwrite to replace it");

        assertThat(run("--input", input, "--column", "body", "--input-format", "parquet",
                "--output", folder.resolve("a").toString())).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("stsb-dev-sample.txt is not a Parquet file");

        assertThat(run("--input", input, "--output", folder.resolve("e").toString(), "--batch-size", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("batchSize given invalid value 0");

        Path csv = folder.resolve("docs.csv");
        Files.writeString(csv, "id,body\n1,hello\n", StandardCharsets.UTF_8);
        assertThat(run("--input", csv.toString(), "--output", folder.resolve("b").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("sentence4j: input column 'text' is not in the data; its columns are id, body");

        assertThat(run("--input", folder.resolve("docs.unknown").toString(), "--output", folder.resolve("c").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("give --input-format parquet, csv, jsonl or text");

        Path text = folder.resolve("long.txt");
        Files.writeString(text, "short\n" + "word ".repeat(300) + "\n", StandardCharsets.UTF_8);
        assertThat(run("--input", text.toString(), "--output", folder.resolve("d").toString(), "--long-input", "error"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("sentence4j: partition 0, row 1: 302 tokens, more than the 256 the model takes");
    }
}
