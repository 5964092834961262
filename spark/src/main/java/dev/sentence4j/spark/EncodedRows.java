package dev.sentence4j.spark;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TextTooLongException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * A partition's rows with their vectors added, in the same order. Rows are read a chunk at a time and
 * each chunk is encoded in one call, which batches its texts longest first; memory holds one chunk
 * however large the partition. A null text gets a null vector.
 */
final class EncodedRows implements Iterator<Row> {
    /** Texts per encode call: enough for length-sorted batches to carry little padding. */
    static final int CHUNK_ROWS = 1024;
    /** Characters per encode call, so a chunk of long documents stays small. */
    static final long CHUNK_CHARS = 1L << 20;

    private final Iterator<Row> input;
    private final EncodeSettings settings;
    private final EncodeOptions options;
    private final int textColumn;
    private final int partition;
    private final LongAccumulator progress;
    private SentenceTransformer model;
    private List<Row> chunk = List.of();
    private int next;
    /** Rows of this partition read so far. */
    private long read;

    EncodedRows(Iterator<Row> input, EncodeSettings settings, int textColumn, int partition, LongAccumulator progress) {
        this.input = input;
        this.settings = settings;
        this.options = settings.encodeOptions();
        this.textColumn = textColumn;
        this.partition = partition;
        this.progress = progress;
    }

    @Override
    public boolean hasNext() {
        while (next >= chunk.size()) {
            if (!input.hasNext()) {
                return false;
            }
            chunk = encodeNextChunk();
            next = 0;
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return chunk.get(next++);
    }

    private List<Row> encodeNextChunk() {
        long first = read;
        List<Row> rows = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> textRows = new ArrayList<>();
        long chars = 0;
        while (input.hasNext() && rows.size() < CHUNK_ROWS && chars < CHUNK_CHARS) {
            Row row = input.next();
            rows.add(row);
            if (!row.isNullAt(textColumn)) {
                String text = row.getString(textColumn);
                texts.add(text);
                textRows.add(rows.size() - 1);
                chars += text.length();
            }
        }
        read += rows.size();
        Object[] vectors = texts.isEmpty() ? new Object[0] : encode(texts, textRows, first);
        List<Row> out = new ArrayList<>(rows.size());
        int t = 0;
        for (int r = 0; r < rows.size(); r++) {
            Object vector = t < textRows.size() && textRows.get(t) == r ? vectors[t++] : null;
            out.add(withVector(rows.get(r), vector));
        }
        if (progress != null) {
            progress.add(rows.size());
        }
        return out;
    }

    /** The column values of the texts' vectors. */
    private Object[] encode(List<String> texts, List<Integer> textRows, long first) {
        try {
            return settings.column().values(model().encode(texts, options));
        } catch (TextTooLongException e) {
            throw new EncodeFailure("partition " + partition + ", row " + (first + textRows.get(e.index())) + ": "
                    + e.tokenCount() + " tokens, more than the " + e.maxSeqLength()
                    + " the model takes (long-input policy error)", e);
        } catch (EncodeFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EncodeFailure("partition " + partition + ", rows " + first + " to " + (read - 1) + ": " + e.getMessage(), e);
        }
    }

    private SentenceTransformer model() {
        if (model == null) {
            try {
                model = settings.loadedModel();
            } catch (RuntimeException e) {
                throw new EncodeFailure("partition " + partition + ": " + e.getMessage(), e);
            }
        }
        return model;
    }

    private static Row withVector(Row row, Object vector) {
        int width = row.length();
        Object[] values = new Object[width + 1];
        for (int i = 0; i < width; i++) {
            values[i] = row.get(i);
        }
        values[width] = vector;
        return RowFactory.create(values);
    }
}
