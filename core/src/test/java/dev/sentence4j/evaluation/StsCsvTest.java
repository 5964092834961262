package dev.sentence4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StsCsvTest {
    @TempDir
    Path temp;

    @Test
    void readsQuotedFieldsAndSkipsAHeader() throws IOException {
        Path file = Files.writeString(temp.resolve("sts.csv"),
                "sentence1,sentence2,score\n\"A man, a plan.\",\"He said \"\"hi\"\".\",4.5\r\nPlain,Text,0\n");

        assertThat(StsCsv.read(file)).containsExactly(
                new StsPair("A man, a plan.", "He said \"hi\".", 4.5), new StsPair("Plain", "Text", 0));
    }

    @Test
    void namesTheFileAndLineOfABadRow() throws IOException {
        Path file = Files.writeString(temp.resolve("bad.csv"), "a,b,1\nc,d,high\n");
        Path short_ = Files.writeString(temp.resolve("short.csv"), "a,b,1\n\"open,b,1\n");

        assertThatThrownBy(() -> StsCsv.read(file)).hasMessage(file + ", line 2: score 'high' is not a number");
        assertThatThrownBy(() -> StsCsv.read(short_)).hasMessage(short_ + ", line 2: a quoted field is not closed (column 1)");
    }
}
