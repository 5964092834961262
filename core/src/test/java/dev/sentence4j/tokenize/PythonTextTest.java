package dev.sentence4j.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonTextTest {

    @Test
    void stripsPythonWhiteSpaceButNotOtherCharacters() {
        assertThat(PythonText.strip("\u0085\u00a0\u202f x y \u2007\t")).isEqualTo("x y");
        assertThat(PythonText.strip("\u200bx\u200b")).isEqualTo("\u200bx\u200b");
        assertThat(PythonText.strip(" \n ")).isEmpty();
    }

    @Test
    void lowercasesWithTheFinalSigmaRule() {
        assertThat(PythonText.lower("ΣΊΣΥΦΟΣ ΟΔΟΣ.")).isEqualTo("σίσυφος οδος.");
    }
}
