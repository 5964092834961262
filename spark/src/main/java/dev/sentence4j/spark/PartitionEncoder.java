package dev.sentence4j.spark;

import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/** Adds the vector of each row's text to the row, a partition at a time: see {@link EncodedRows}. */
final class PartitionEncoder implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final EncodeSettings settings;
    private final int textColumn;

    PartitionEncoder(EncodeSettings settings, int textColumn) {
        this.settings = settings;
        this.textColumn = textColumn;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new EncodedRows(rows, settings, textColumn, TaskContext.getPartitionId());
    }
}
