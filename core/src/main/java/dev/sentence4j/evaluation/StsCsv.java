package dev.sentence4j.evaluation;

import dev.sentence4j.io.CsvLine;
import dev.sentence4j.io.TextLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads STS pairs from a UTF-8 CSV file of {@code sentence1,sentence2,score} rows, fields quoted as
 * RFC 4180 allows. A first row whose score is not a number is taken as a header.
 */
public final class StsCsv {
    private StsCsv() {}

    /**
     * Reads every pair of the file.
     *
     * @throws IOException naming the file and line of a row that is not a pair with a numeric score
     */
    public static List<StsPair> read(Path file) throws IOException {
        List<String> lines = TextLines.read(file);
        List<StsPair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = file + ", line " + (i + 1);
            List<String> fields = fields(line, where);
            if (fields.size() != 3) {
                throw new IOException(where + ": expected 3 fields (sentence1,sentence2,score), found " + fields.size());
            }
            double score;
            try {
                score = Double.parseDouble(fields.get(2).trim());
            } catch (NumberFormatException e) {
                if (i == 0) {
                    continue;
                }
                throw new IOException(where + ": score '" + fields.get(2) + "' is not a number");
            }
            pairs.add(new StsPair(fields.get(0), fields.get(1), score));
        }
        return pairs;
    }

    private static List<String> fields(String line, String where) throws IOException {
        try {
            return CsvLine.fields(line);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }
}
