package dev.sentence4j.spark;

import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** The files {@link EncodeJob} writes: a folder of part files, one per partition, rows in order. */
enum OutputFormat {
    /** Parquet; vectors as {@code array<float>}. */
    PARQUET,
    /** JSON lines: each row's columns, the vector as a JSON array, null values written out. */
    JSONL;

    void write(Dataset<Row> rows, String folder, boolean overwrite) {
        DataFrameWriter<Row> writer = rows.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
        switch (this) {
            case PARQUET -> writer.parquet(folder);
            case JSONL -> writer.option("ignoreNullFields", false).json(folder);
        }
    }
}
