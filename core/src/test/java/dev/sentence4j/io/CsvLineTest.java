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
        assertThat(CsvLine.fields(" a , b ")).containsExactly(" a ", " b ");
        assertThat(CsvLine.fields("# not a comment,x")).containsExactly("# not a comment", "x");
    }

    @Test
    void anUnclosedQuoteIsAnErrorNamingTheColumn() {
        assertThatThrownBy(() -> CsvLine.fields("a,\"b")).hasMessage("a quoted field is not closed (column 2)");
        assertThatThrownBy(() -> CsvLine.fields("\"a, b")).hasMessage("a quoted field is not closed (column 1)");
    }

    @Test
    void textAfterAClosingQuoteIsAnErrorNamingTheColumn() {
        assertThatThrownBy(() -> CsvLine.fields("a,\"b\"c,d")).hasMessage("text after the closing quote of a quoted field (column 2)");
    }
}
