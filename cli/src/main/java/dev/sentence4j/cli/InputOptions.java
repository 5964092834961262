package dev.sentence4j.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** How texts are found in the input files of a command: see {@link TextFile}. */
final class InputOptions {
    @Option(names = "--field", paramLabel = "NAME", defaultValue = "text",
            description = "In .jsonl files, the field that holds the text. Default: ${DEFAULT-VALUE}.")
    String field;

    @Option(names = "--column", paramLabel = "NAME|N", defaultValue = "1",
            description = "In .csv files (a header row, then one row per text), the column that holds the text: "
                    + "its header name or its number from 1. Default: ${DEFAULT-VALUE}.")
    String column;

    /** The file's texts; fails naming the file and line of anything it cannot read. */
    List<InputText> read(Path file) {
        return TextFile.read(file, field, column);
    }

    /** The file, opened to read its texts one at a time, for commands that stream. */
    TextFile open(Path file) {
        return TextFile.open(file, field, column);
    }

    /** How many texts the file holds; fails as {@link #read} would, without holding them. */
    int count(Path file) {
        return TextFile.count(file, field, column);
    }

    /** The file's texts only, for commands that do not report line numbers. */
    List<String> readTexts(Path file) {
        return read(file).stream().map(InputText::text).toList();
    }
}
