package dev.sentence4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileTest {
    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        return Files.write(dir.resolve("texts.txt"), content);
    }

    private Path file(String content) throws IOException {
        return file(content.getBytes(UTF_8));
    }

    @Test
    void aFinalLineEndStartsNoExtraText() throws IOException {
        assertThat(TextFile.readLines(file("one\ntwo\n"))).containsExactly("one", "two");
        assertThat(TextFile.readLines(file("one\ntwo"))).containsExactly("one", "two");
    }

    @Test
    void emptyLinesInsideAreEmptyTexts() throws IOException {
        assertThat(TextFile.readLines(file("one\n\nthree\n\n"))).containsExactly("one", "", "three", "");
        assertThat(TextFile.readLines(file("\n"))).containsExactly("");
        assertThat(TextFile.readLines(file(""))).isEmpty();
    }

    @Test
    void stripsOneCarriageReturnPerLine() throws IOException {
        assertThat(TextFile.readLines(file("one\r\ntwo\r\r\nthree\r"))).containsExactly("one", "two\r", "three");
    }

    @Test
    void keepsOtherWhiteSpaceAndUnicode() throws IOException {
        assertThat(TextFile.readLines(file("  café \t\n日本語 🙂\n"))).containsExactly("  café \t", "日本語 🙂");
    }

    @Test
    void dropsAByteOrderMark() throws IOException {
        assertThat(TextFile.readLines(file("\uFEFFone\ntwo"))).containsExactly("one", "two");
    }

    @Test
    void namesTheFileAndLineOfInvalidUtf8() throws IOException {
        Path file = file(new byte[] {'o', 'k', '\n', 'b', 'a', (byte) 0xFF, 'd', '\n', (byte) 0xC3, '\n'});

        assertThatThrownBy(() -> TextFile.readLines(file))
                .isInstanceOf(CliException.class)
                .hasMessage(file + ": line 2 is not valid UTF-8 (at byte 3 of the line); save the file as UTF-8");
    }

    @Test
    void aTruncatedSequenceAtTheEndIsInvalid() throws IOException {
        Path file = file(new byte[] {'o', 'k', '\n', (byte) 0xE2, (byte) 0x82});

        assertThatThrownBy(() -> TextFile.readLines(file)).hasMessageContaining("line 2 is not valid UTF-8");
    }

    @Test
    void saysWhenTheFileIsMissingOrAFolder() {
        assertThatThrownBy(() -> TextFile.readLines(dir.resolve("missing.txt")))
                .isInstanceOf(CliException.class)
                .hasMessage("input file " + dir.resolve("missing.txt") + " does not exist");
        assertThatThrownBy(() -> TextFile.readLines(dir))
                .isInstanceOf(CliException.class)
                .hasMessage(dir + " is a folder; expected a text file with one text per line");
    }
}
