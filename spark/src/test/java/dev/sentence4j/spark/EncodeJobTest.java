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
