package dev.sentence4j.tokenize;

import java.util.Locale;

/** Python's {@code str.strip()} and {@code str.lower()}, which sentence-transformers applies before tokenizing. */
final class PythonText {
    private PythonText() {}

    /**
     * Strips what Python counts as white space, a wider set than {@link String#strip()}: it includes
     * U+0085, U+00A0, U+2007 and U+202F.
     */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Whole-string lowercasing with Unicode's context rules (final sigma), as Python's {@code str.lower()}. */
    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** Python's {@code str.isspace()} for one character: all of these are BMP code points. */
    static boolean isSpace(char c) {
        switch (c) {
            case '\t': case '\n': case '\u000B': case '\f': case '\r':
            case '\u001C': case '\u001D': case '\u001E': case '\u001F':
            case ' ': case '\u0085': case '\u00A0': case '\u1680':
            case '\u2028': case '\u2029': case '\u202F': case '\u205F': case '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200A';
        }
    }
}
