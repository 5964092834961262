package dev.sentence4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvLineTest {
    @Test
    void splitsAtCommasOutsideQuotes() {
        assertThat(CsvLine.fields("a,\"b, c\",,\"say \"\"hi\"\"\",")).containsExactly("a", "b, c", "", "say \"hi\"", "");
        assertThat(CsvLine.fields("")).containsExactly("");
        assertThat(CsvLine.fields("it's \"fine\" here")).containsExactly("it's \"fine\" here");
    }

    @Test
    void anUnclosedQuoteIsAnError() {
        assertThatThrownBy(() -> CsvLine.fields("a,\"b")).hasMessage("a quoted field is not closed");
    }
}
