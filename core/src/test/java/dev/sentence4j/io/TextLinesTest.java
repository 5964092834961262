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

    /** Lines longer than the read buffer, and line ends split across two reads, come out whole, one at a time. */
    @Test
    void readsALineAtATimeWhateverItsLength() throws IOException {
        String long1 = "ä".repeat(100_000);
        String long2 = "b".repeat(65_535);
        Path file = Files.writeString(temp.resolve("long.txt"), long1 + "\n" + long2 + "\r\nlast");

        try (TextLines lines = TextLines.open(file)) {
            assertThat(lines.next()).isEqualTo(long1);
            assertThat(lines.next()).isEqualTo(long2);
            assertThat(lines.next()).isEqualTo("last");
            assertThat(lines.lineNumber()).isEqualTo(3);
            assertThat(lines.next()).isNull();
        }
        assertThat(TextLines.read(Files.writeString(temp.resolve("empty.txt"), ""))).isEmpty();
    }
}
