package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How TextFile turns core's TextLines (tested in core) into command input and user errors. */
class TextFileTest {
    @TempDir
    Path dir;

    @Test
    void readsOneTextPerLineOfAPlainFile() throws IOException {
        Path file = Files.writeString(dir.resolve("texts.txt"), "one\n\nthree\n", StandardCharsets.UTF_8);

        assertThat(TextFile.read(file, "text", "1"))
                .containsExactly(new InputText(1, "one"), new InputText(2, ""), new InputText(3, "three"));
    }

    /** Issue 24, item 8: one policy for text and JSON lines: a blank line is an empty text, said once, so rows never shift. */
    @Test
    void aBlankLineIsAnEmptyTextInJsonLinesAsInTextSaidOnce() throws IOException {
        Path file = Files.writeString(dir.resolve("texts.jsonl"),
                "{\"id\": 1, \"body\": \"caf\u00e9 au lait\"}\n\n{\"body\": \"second, \\\"quoted\\\"\"}\n");

        List<String> said = warnings(() -> {
            assertThat(TextFile.read(file, "body", "1")).containsExactly(new InputText(1, "caf\u00e9 au lait"), new InputText(2, ""),
                    new InputText(3, "second, \"quoted\""));
            assertThat(TextFile.count(file, "body", "1")).isEqualTo(3);
        });

        assertThat(said).containsExactly(file + ": 1 blank line(s), the first line 2, read as empty texts, so that output row i"
                + " stays input line i + 1");
    }

    /** Issue 24, item 2: JSON lines in a file named otherwise are read as told, with a warning naming --field. */
    @Test
    void jsonLinesInAFileNamedOtherwiseAreReadAsToldWithAWarning() throws IOException {
        Path file = Files.writeString(dir.resolve("docs.txt"), "{\"body\": \"one\"}\n {\"body\": \"two\"} \n");

        List<String> said = warnings(() -> {
            assertThat(TextFile.read(file, TextFile.Kind.JSON_LINES, "body", "1"))
                    .containsExactly(new InputText(1, "one"), new InputText(2, "two"));
            assertThat(TextFile.read(file, "body", "1")).extracting(InputText::text)
                    .containsExactly("{\"body\": \"one\"}", " {\"body\": \"two\"} ");
        });

        assertThat(said).containsExactly(file + ": every line is a JSON object, but the file is read as plain text, one text"
                + " per line, since its name does not end in .jsonl; give --field NAME to embed a field of each");
    }

    @Test
    void namesTheFileAndLineOfABadJsonLine() throws IOException {
        Path notJson = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"fine\"}\n{\"text\": oops}\n");
        Path noField = Files.writeString(dir.resolve("nofield.jsonl"), "{\"text\": \"fine\"}\n{\"body\": \"x\"}\n");
        Path notText = Files.writeString(dir.resolve("number.jsonl"), "{\"text\": 3}\n");
        Path notObject = Files.writeString(dir.resolve("array.jsonl"), "[\"text\"]\n");

        assertThatThrownBy(() -> TextFile.read(notJson, "text", "1")).isInstanceOf(CliException.class)
                .hasMessageStartingWith(notJson + ", line 2: not JSON (");
        assertThatThrownBy(() -> TextFile.read(noField, "text", "1"))
                .hasMessage(noField + ", line 2: no field 'text' (choose the field with --field)");
        assertThatThrownBy(() -> TextFile.read(notText, "text", "1"))
                .hasMessage(notText + ", line 1: field 'text' is not a string");
        assertThatThrownBy(() -> TextFile.read(notObject, "text", "1"))
                .hasMessage(notObject + ", line 1: not a JSON object");
    }

    @Test
    void readsACsvColumnByNameOrNumberAfterTheHeader() throws IOException {
        Path file = Files.writeString(dir.resolve("texts.csv"), "id,sentence\n7,\"Hello, world.\"\n\n8,Bye.\n");

        assertThat(TextFile.read(file, "text", "sentence"))
                .containsExactly(new InputText(2, "Hello, world."), new InputText(4, "Bye."));
        assertThat(TextFile.read(file, "text", "1")).containsExactly(new InputText(2, "7"), new InputText(4, "8"));
        assertThat(TextFile.read(Files.writeString(dir.resolve("CAPS.CSV"), "a\nb\n"), "text", "1"))
                .containsExactly(new InputText(2, "b"));
    }

    @Test
    void namesTheFileAndLineOfABadCsvRow() throws IOException {
        Path file = Files.writeString(dir.resolve("texts.csv"), "id,sentence\n7,Hello.\n8\n");
        Path unclosed = Files.writeString(dir.resolve("unclosed.csv"), "sentence\n\"Hello.\n");

        assertThatThrownBy(() -> TextFile.read(file, "text", "sentence"))
                .hasMessage(file + ", line 3: has 1 column(s), so no column 2 ('sentence')");
        assertThatThrownBy(() -> TextFile.read(file, "text", "body"))
                .hasMessage(file + ", line 1: the header has no column 'body' (columns: id, sentence; choose one with "
                        + "--column NAME or a number from 1)");
        assertThatThrownBy(() -> TextFile.read(file, "text", "3")).hasMessageContaining("no column '3'");
        assertThatThrownBy(() -> TextFile.read(unclosed, "text", "1"))
                .hasMessage(unclosed + ", line 2: a quoted field is not closed (column 1)");
    }

    @Test
    void failuresAreUserErrorsNamingTheFile() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9});
        Path missing = dir.resolve("missing.txt");

        assertThatThrownBy(() -> TextFile.read(latin1, "text", "1"))
                .isInstanceOf(CliException.class).hasMessage(latin1 + ", line 2: not valid UTF-8");
        assertThatThrownBy(() -> TextFile.read(missing, "text", "1"))
                .isInstanceOf(CliException.class).hasMessage(missing + " does not exist");
        assertThatThrownBy(() -> TextFile.read(dir, "text", "1"))
                .isInstanceOf(CliException.class).hasMessage(dir + " is a directory, not a text file");
    }

    /** The warnings TextFile logs while {@code action} runs. */
    static List<String> warnings(Runnable action) {
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    messages.add(record.getMessage());
                }
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        Logger logger = Logger.getLogger(TextFile.class.getName());
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return messages;
    }
}
