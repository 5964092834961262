package dev.sentence4j.spark;

import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/** Adds the vector of each row's text to the row, a partition at a time: see {@link EncodedRows}. */
final class PartitionEncoder implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final EncodeSettings settings;
    private final int textColumn;
    private final LongAccumulator progress;

    /** {@code progress}, when not null, counts the rows done, for a driver that reports progress. */
    PartitionEncoder(EncodeSettings settings, int textColumn, LongAccumulator progress) {
        this.settings = settings;
        this.textColumn = textColumn;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new EncodedRows(rows, settings, textColumn, TaskContext.getPartitionId(), progress);
    }
}
