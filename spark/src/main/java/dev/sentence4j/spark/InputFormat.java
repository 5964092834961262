package dev.sentence4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The files {@link EncodeJob} reads: each gives rows with a text column and whatever other columns it has. */
enum InputFormat {
    /** Parquet files, with their own schema. */
    PARQUET,
    /** CSV with a header row, quotes doubled inside quoted fields (RFC 4180); every column is read as text. */
    CSV,
    /** JSON lines, one object per line; the schema is inferred. */
    JSONL,
    /** Plain text, one text per line, in a single column named as the job's text column. */
    TEXT;

    Dataset<Row> read(SparkSession spark, String path, String textColumn) {
        return switch (this) {
            case PARQUET -> spark.read().parquet(path);
            case CSV -> spark.read().option("header", true).option("escape", "\"").csv(path);
            case JSONL -> requireNoObjects(spark.read().json(path), spark, path, textColumn);
            case TEXT -> spark.read().text(path).withColumnRenamed("value", textColumn);
        };
    }

    /**
     * JSON lines whose text field holds an object in some lines and text in others: Spark's reader makes
     * the column text and gives each object as its JSON, which would be embedded as if it were a text.
     * Such rows are found by reading the field again as a map, which only objects fill, and refused.
     */
    private static Dataset<Row> requireNoObjects(Dataset<Row> rows, SparkSession spark, String path, String textColumn) {
        if (!Arrays.asList(rows.columns()).contains(textColumn)
                || !rows.schema().apply(textColumn).dataType().equals(DataTypes.StringType)) {
            // A missing column, or one that is all objects, is refused by name when the embedder checks the schema.
            return rows;
        }
        StructType asObject = new StructType().add(textColumn, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
        List<Row> objects = spark.read().schema(asObject).json(path).filter(functions.col(textColumn).isNotNull())
                .select(functions.to_json(functions.col(textColumn))).limit(1).collectAsList();
        if (!objects.isEmpty()) {
            throw new IllegalArgumentException(path + ": column '" + textColumn + "' holds a JSON object rather than text in some"
                    + " lines, such as " + objects.get(0).getString(0) + "; give --column the field that holds each line's text");
        }
        return rows;
    }

    /**
     * The format a path's name says ({@code .parquet}, {@code .csv}, {@code .jsonl}/{@code .json}/
     * {@code .ndjson}, {@code .txt}), or for a local folder (as Spark writes) that of its first data file.
     */
    static Optional<InputFormat> of(String path) {
        Optional<InputFormat> byName = byName(path);
        if (byName.isPresent() || path.contains("://")) {
            return byName;
        }
        Path folder = Path.of(path);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.startsWith("_") && !name.startsWith("."))
                    .sorted()
                    .map(InputFormat::byName)
                    .flatMap(Optional::stream)
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Optional<InputFormat> byName(String path) {
        String name = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        // Compressed files keep the format of the name before the compression suffix.
        name = name.replaceAll("\\.(gz|bz2|snappy|zst|lz4|deflate|xz)$", "");
        if (name.endsWith(".parquet")) {
            return Optional.of(PARQUET);
        }
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
            return Optional.of(JSONL);
        }
        if (name.endsWith(".txt") || name.endsWith(".text")) {
            return Optional.of(TEXT);
        }
        return Optional.empty();
    }
}
