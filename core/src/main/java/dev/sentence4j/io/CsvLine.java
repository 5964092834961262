package dev.sentence4j.io;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of a CSV file into its fields, quoted as RFC 4180 allows ({@code "a, b"}, {@code ""} for a
 * quote), with Jackson's CSV parser.
 */
public final class CsvLine {
    /** Rows as arrays of strings: no schema, no header handling, nothing trimmed, skipped or read as a comment. */
    private static final CsvFactory CSV = CsvFactory.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private CsvLine() {}

    /**
     * The fields of the line, unquoted.
     *
     * @throws IllegalArgumentException naming the column (the field, counted from 1) where the line stops being
     *     CSV: a quoted field that is not closed on the line, or text after a field's closing quote
     */
    public static List<String> fields(String line) {
        if (line.isEmpty()) {
            return List.of("");
        }
        List<String> fields = new ArrayList<>();
        try (CsvParser parser = (CsvParser) CSV.createParser(line)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING) {
                    fields.add(parser.getText());
                } else if (token == JsonToken.END_ARRAY) {
                    return fields;
                }
            }
            return fields;
        } catch (JsonParseException e) {
            String message = e.getOriginalMessage();
            String problem = message.startsWith("Missing closing quote") ? "a quoted field is not closed"
                    : message.startsWith("Unexpected character") ? "text after the closing quote of a quoted field"
                    : message;
            throw new IllegalArgumentException(problem + " (column " + (fields.size() + 1) + ")", e);
        } catch (IOException e) {
            // A string in memory has nothing to fail on but its content.
            throw new UncheckedIOException(e);
        }
    }
}
