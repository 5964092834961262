package dev.sentence4j.cli;

import dev.sentence4j.io.TextLines;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;

/** A command's input: one text per line, read strictly as UTF-8 by core's {@link TextLines}. */
final class TextFile {
    private TextFile() {}

    /**
     * The file's texts, in order.
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
}
