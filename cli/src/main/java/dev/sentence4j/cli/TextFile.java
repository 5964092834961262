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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A command's input texts, read a line at a time, strictly as UTF-8, by core's {@link TextLines} and
 * told apart by the format the command names, else by the file's extension: {@code .jsonl}, one JSON
 * object per line, the text in a field; {@code .csv}, a header row then one row per text, the text in a
 * column; anything else, one text per line. A blank line of a text or JSON lines file is an empty text,
 * so that text i is always line i + 1 (a warning counts them); blank lines of a CSV file are skipped.
 * A plain text file whose every line is a JSON object is read as told, with a warning. Every command
 * reads its input this way.
 */
final class TextFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(TextFile.class.getName());
    /** Files already warned about, with the format read: a command may read its input twice (counting, then encoding). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** How the file's lines hold texts. */
    enum Kind { LINES, JSON_LINES, CSV }

    private final Path file;
    private final TextLines lines;
    private final Kind kind;
    private final String field;
    private final String column;
    /** The CSV header row, once read. */
    private List<String> header;
    private int position = -1;
    private int blankLines;
    private int firstBlankLine;
    /** Lines read, and how many of them look like a JSON object: all of a plain text file's may be JSON lines misnamed. */
    private int lineCount;
    private int jsonObjectLines;

    private TextFile(Path file, TextLines lines, Kind kind, String field, String column) {
        this.file = file;
        this.lines = lines;
        this.kind = kind;
        this.field = field;
        this.column = column;
    }

    /**
     * Opens the file to read its texts one at a time.
     *
     * @param field the field of each JSON line that holds the text
     * @param column the CSV column that holds the text: a header name, or a number counting from 1
     * @throws CliException naming the file when it cannot be opened
     */
    static TextFile open(Path file, String field, String column) {
        return open(file, null, field, column);
    }

    /**
     * Opens the file to read its texts one at a time, in the format given.
     *
     * @param kind how the lines hold texts; {@code null} to tell by the file's extension
     */
    static TextFile open(Path file, Kind kind, String field, String column) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (kind == null) {
            kind = name.endsWith(".jsonl") ? Kind.JSON_LINES : name.endsWith(".csv") ? Kind.CSV : Kind.LINES;
        }
        try {
            return new TextFile(file, TextLines.open(file), kind, field, column);
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /**
     * The file's texts, in order, each with its line number.
     *
     * @throws CliException naming the file, and the line when one is not valid UTF-8, not JSON, or
     *     lacks the field or column
     */
    static List<InputText> read(Path file, String field, String column) {
        return read(file, null, field, column);
    }

    /** As {@link #read(Path, String, String)}, in the format given ({@code null}: by the extension). */
    static List<InputText> read(Path file, Kind kind, String field, String column) {
        try (TextFile texts = open(file, kind, field, column)) {
            List<InputText> all = new ArrayList<>();
            for (InputText text = texts.next(); text != null; text = texts.next()) {
                all.add(text);
            }
            return all;
        }
    }

    /**
     * How many texts the file holds, read through once: a file that cannot be read all through fails
     * here, as {@link #read} would.
     */
    static int count(Path file, String field, String column) {
        return count(file, null, field, column);
    }

    /** As {@link #count(Path, String, String)}, in the format given ({@code null}: by the extension). */
    static int count(Path file, Kind kind, String field, String column) {
        try (TextFile texts = open(file, kind, field, column)) {
            int count = 0;
            while (texts.next() != null) {
                count++;
            }
            return count;
        }
    }

    /**
     * The file's lines, each a text whatever the file's extension.
     *
     * @throws CliException naming the file, and the line when one is not valid UTF-8
     */
    static List<String> readLines(Path file) {
        try {
            return TextLines.read(file);
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /**
     * The next text, or {@code null} at the end of the file.
     *
     * @throws CliException naming the file and line of anything it cannot read
     */
    InputText next() {
        while (true) {
            String line;
            try {
                line = lines.next();
            } catch (IOException e) {
                throw failure(file, e);
            }
            if (line == null) {
                warnOnce();
                return null;
            }
            int number = lines.lineNumber();
            lineCount++;
            if (kind != Kind.CSV && line.isBlank()) {
                firstBlankLine = blankLines++ == 0 ? number : firstBlankLine;
                return new InputText(number, "");
            }
            if (kind == Kind.LINES) {
                String stripped = line.strip();
                if (stripped.startsWith("{") && stripped.endsWith("}")) {
                    jsonObjectLines++;
                }
                return new InputText(number, line);
            }
            if (line.isBlank()) {
                continue;
            }
            String where = file + ", line " + number;
            if (kind == Kind.JSON_LINES) {
                return new InputText(number, jsonText(line, where));
            }
            String text = csvText(line, where);
            if (text != null) {
                return new InputText(number, text);
            }
        }
    }

    /** At the end of the file, what the reader should know: blank lines read as empty texts, JSON lines read as text. */
    private void warnOnce() {
        if (!WARNED.add(kind + " " + file.toAbsolutePath().normalize())) {
            return;
        }
        if (kind == Kind.LINES && lineCount > 0 && jsonObjectLines == lineCount - blankLines && looksLikeJsonLines()) {
            LOG.log(System.Logger.Level.WARNING, file + ": every line is a JSON object, but the file is read as plain text, one"
                    + " text per line, since its name does not end in .jsonl; give --field NAME to embed a field of each");
        }
        if (blankLines > 0) {
            LOG.log(System.Logger.Level.WARNING, file + ": " + blankLines + " blank line(s), the first line " + firstBlankLine
                    + ", read as empty texts, so that output row i stays input line i + 1");
        }
    }

    /** Whether the file's first non-blank line is a JSON object (the rest were seen to look like one). */
    private boolean looksLikeJsonLines() {
        try (TextLines again = TextLines.open(file)) {
            for (String line = again.next(); line != null; line = again.next()) {
                if (!line.isBlank()) {
                    return JSON.readTree(line).isObject();
                }
            }
        } catch (IOException e) {
            // Then it is not JSON, or cannot be read again: no warning.
        }
        return false;
    }

    private String jsonText(String line, String where) {
        JsonNode object;
        try {
            object = JSON.readTree(line);
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
        return value.asText();
    }

    /** The row's text, or {@code null} for the header row. */
    private String csvText(String line, String where) {
        List<String> fields;
        try {
            fields = CsvLine.fields(line);
        } catch (IllegalArgumentException e) {
            throw new CliException(where + ": " + e.getMessage(), e);
        }
        if (header == null) {
            header = fields;
            position = columnPosition(header, column, where);
            return null;
        }
        if (position >= fields.size()) {
            throw new CliException(where + ": has " + fields.size() + " column(s), so no column " + (position + 1)
                    + " ('" + header.get(position) + "')");
        }
        return fields.get(position);
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

    private static CliException failure(Path file, IOException e) {
        if (e instanceof FileSystemException) {
            return CliException.io("read", file, e);
        }
        // TextLines' own failures already say which file and what is wrong with it.
        return new CliException(e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            // Reading is over; a failure to let go of the file changes nothing the command did.
        }
    }
}
