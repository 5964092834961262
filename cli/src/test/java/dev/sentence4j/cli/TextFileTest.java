package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How TextFile turns core's TextLines (tested in core) into command input and user errors. */
class TextFileTest {
    @TempDir
    Path dir;

    @Test
    void readsOneTextPerLine() throws IOException {
        Path file = Files.writeString(dir.resolve("texts.txt"), "one\n\nthree\n", StandardCharsets.UTF_8);

        assertThat(TextFile.readLines(file)).containsExactly("one", "", "three");
    }

    @Test
    void failuresAreUserErrorsNamingTheFile() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9});
        Path missing = dir.resolve("missing.txt");

        assertThatThrownBy(() -> TextFile.readLines(latin1))
                .isInstanceOf(CliException.class).hasMessage(latin1 + ", line 2: not valid UTF-8");
        assertThatThrownBy(() -> TextFile.readLines(missing))
                .isInstanceOf(CliException.class).hasMessage(missing + " does not exist");
        assertThatThrownBy(() -> TextFile.readLines(dir))
                .isInstanceOf(CliException.class).hasMessage(dir + " is a directory, not a text file");
    }
}
