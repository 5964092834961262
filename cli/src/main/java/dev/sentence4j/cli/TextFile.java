package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.io.CsvLine;
import dev.sentence4j.io.TextLines;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A command's input texts, read strictly as UTF-8 by core's {@link TextLines} and told apart by the
 * file's extension: {@code .jsonl}, one JSON object per line, the text in a field; {@code .csv}, a
 * header row then one row per text, the text in a column; anything else, one text per line. Blank
 * lines of JSON lines and CSV files are skipped; those of a text file are (empty) texts.
 */
final class TextFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TextFile() {}

    /**
     * The file's texts, in order, each with its line number.
     *
     * @param field the field of each JSON line that holds the text
     * @param column the CSV column that holds the text: a header name, or a number counting from 1
     * @throws CliException naming the file, and the line when one is not valid UTF-8, not JSON, or
     *     lacks the field or column
     */
    static List<InputText> read(Path file, String field, String column) {
        List<String> lines = readLines(file);
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl")) {
            return jsonLines(file, lines, field);
        }
        if (name.endsWith(".csv")) {
            return csvRows(file, lines, column);
        }
        List<InputText> texts = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            texts.add(new InputText(i + 1, lines.get(i)));
        }
        return texts;
    }

    /**
     * The file's lines, each a text whatever the file's extension.
     *
     * @throws CliException naming the file, and the line when one is not valid UTF-8
     */
    static List<String> readLines(Path file) {
        try {
            return TextLines.read(file);
        } catch (FileSystemException e) {
            throw CliException.io("read", file, e);
        } catch (IOException e) {
            // TextLines' own failures already say which file and what is wrong with it.
            throw new CliException(e.getMessage(), e);
        }
    }

    private static List<InputText> jsonLines(Path file, List<String> lines, String field) {
        List<InputText> texts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ", line " + (i + 1);
            JsonNode object;
            try {
                object = JSON.readTree(lines.get(i));
            } catch (JsonProcessingException e) {
                throw new CliException(where + ": not JSON (" + e.getOriginalMessage() + ")", e);
            }
            if (!object.isObject()) {
                throw new CliException(where + ": not a JSON object");
            }
            JsonNode value = object.get(field);
            if (value == null) {
                throw new CliException(where + ": no field '" + field + "' (choose the field with --field)");
            }
            if (!value.isTextual()) {
                throw new CliException(where + ": field '" + field + "' is not a string");
            }
            texts.add(new InputText(i + 1, value.asText()));
        }
        return texts;
    }

    private static List<InputText> csvRows(Path file, List<String> lines, String column) {
        List<InputText> texts = new ArrayList<>();
        List<String> header = null;
        int position = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ", line " + (i + 1);
            List<String> fields;
            try {
                fields = CsvLine.fields(lines.get(i));
            } catch (IllegalArgumentException e) {
                throw new CliException(where + ": " + e.getMessage(), e);
            }
            if (header == null) {
                header = fields;
                position = columnPosition(header, column, where);
            } else if (position >= fields.size()) {
                throw new CliException(where + ": has " + fields.size() + " column(s), so no column " + (position + 1)
                        + " ('" + header.get(position) + "')");
            } else {
                texts.add(new InputText(i + 1, fields.get(position)));
            }
        }
        return texts;
    }

    /** The column's position in the header row, by name first, else by number. */
    private static int columnPosition(List<String> header, String column, String where) {
        int named = header.indexOf(column);
        if (named >= 0) {
            return named;
        }
        if (column.matches("[0-9]+")) {
            int number = Integer.parseInt(column);
            if (number >= 1 && number <= header.size()) {
                return number - 1;
            }
        }
        throw new CliException(where + ": the header has no column '" + column + "' (columns: "
                + String.join(", ", header) + "; choose one with --column NAME or a number from 1)");
    }
}
