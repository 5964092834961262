package dev.sentence4j.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How texts are found in the input files of a command: see {@link TextFile}. Either option, given, names
 * the file's format whatever its name ends in.
 */
final class InputOptions {
    @Option(names = "--field", paramLabel = "NAME",
            description = "Read the input as JSON lines (whatever its name), the text in this field. Default for .jsonl files: text.")
    String field;

    @Option(names = "--column", paramLabel = "NAME|N",
            description = "Read the input as CSV (a header row, then one row per text; whatever its name), the text in this "
                    + "column: its header name or its number from 1. Default for .csv files: 1.")
    String column;

    /** The file's texts; fails naming the file and line of anything it cannot read. */
    List<InputText> read(Path file) {
        return TextFile.read(file, kind(), fieldName(), columnName());
    }

    /** The file, opened to read its texts one at a time, for commands that stream. */
    TextFile open(Path file) {
        return TextFile.open(file, kind(), fieldName(), columnName());
    }

    /** How many texts the file holds; fails as {@link #read} would, without holding them. */
    int count(Path file) {
        return TextFile.count(file, kind(), fieldName(), columnName());
    }

    /** The format the options name, or {@code null} to tell it by the file's extension. */
    private TextFile.Kind kind() {
        if (field != null && column != null) {
            throw new CliException("--field reads JSON lines and --column reads CSV: give one of them");
        }
        return field != null ? TextFile.Kind.JSON_LINES : column != null ? TextFile.Kind.CSV : null;
    }

    private String fieldName() {
        return field != null ? field : "text";
    }

    private String columnName() {
        return column != null ? column : "1";
    }

    /** The file's texts only, for commands that do not report line numbers. */
    List<String> readTexts(Path file) {
        return read(file).stream().map(InputText::text).toList();
    }
}
