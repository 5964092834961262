package dev.sentence4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {
    @TempDir
    Path temp;

    @Test
    void keepsInnerEmptyLinesButNoPhantomLastLine() throws IOException {
        Path file = Files.write(temp.resolve("t.txt"), "\uFEFFfirst\r\n\nthird ä\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(TextLines.read(file)).containsExactly("first", "", "third ä");
    }

    @Test
    void badUtf8NamesTheLine() throws IOException {
        Path file = Files.write(temp.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});

        assertThatThrownBy(() -> TextLines.read(file)).hasMessage(file + ", line 2: not valid UTF-8");
    }

    @Test
    void aMissingFileOrAFolderIsNamed() {
        assertThatThrownBy(() -> TextLines.read(temp.resolve("nope.txt"))).hasMessage(temp.resolve("nope.txt") + " does not exist");
        assertThatThrownBy(() -> TextLines.read(temp)).hasMessage(temp + " is a directory, not a text file");
    }
}
