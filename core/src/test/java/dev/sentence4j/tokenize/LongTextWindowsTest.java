package dev.sentence4j.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.Shared;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A text longer than a tokenizing piece gives the windows, and the truncated ids, of the whole text's
 * ids as the tokenizers library makes them in one call, without and with a stride, for the tokenizer of every sentence-transformers 6 fixture (WordPiece,
 * byte-level BPE, Unigram, Qwen3's BPE) and of all-MiniLM-L6-v2.
 */
class LongTextWindowsTest {
    private static final int MAX_SEQ_LENGTH = 128;
    private static final int STRIDE = 16;

    static Stream<Path> tokenizers() throws IOException {
        Path miniLm = Files.createTempFile("all-minilm-l6-v2", "-tokenizer.json");
        miniLm.toFile().deleteOnExit();
        try (InputStream in = LongTextWindowsTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, miniLm, StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> folders = Files.list(Shared.path("fixtures/st6/models"))) {
            List<Path> fixtures = folders.map(folder -> folder.resolve("tokenizer.json")).filter(Files::isRegularFile).sorted().toList();
            return Stream.concat(fixtures.stream(), Stream.of(miniLm));
        }
    }

    @ParameterizedTest
    @MethodSource("tokenizers")
    void windowsOfAPiecewiseTokenizedTextAreThoseOfTheWholeText(Path tokenizerJson) throws IOException {
        // The fixtures' 80 texts (accents, CJK, emoji, runs of spaces, punctuation), again and again.
        String once = String.join(" ", Shared.lines("fixtures/st6/public.txt"));
        StringBuilder text = new StringBuilder();
        while (text.length() < 2 * Tokenizer.PIECE + 1000) {
            text.append(once).append(' ');
        }
        long[] whole = LibraryTokens.untruncated(tokenizerJson, List.of(text.toString())).get(0);
        long[] content = LibraryTokens.withoutSpecialTokens(tokenizerJson, text.toString());
        int prefix = prefixOf(whole, content);
        int suffix = whole.length - prefix - content.length;

        try (Tokenizer tokenizer = Tokenizer.load(tokenizerJson, new TokenizerSettings(MAX_SEQ_LENGTH, false))) {
            List<Tokens> windows = tokenizer.windows(text.toString(), 0);

            assertThat(content.length).isGreaterThan(3 * MAX_SEQ_LENGTH);
            // Without overlap, the windows' own tokens in order are the text's.
            long[] joined = windows.stream()
                    .flatMapToLong(w -> LongStream.of(Arrays.copyOfRange(w.ids(), prefix, w.ids().length - suffix)))
                    .toArray();
            assertThat(joined).containsExactly(content);
            for (Tokens window : windows) {
                long[] ids = window.ids();
                assertThat(Arrays.copyOf(ids, prefix)).containsExactly(Arrays.copyOf(whole, prefix));
                assertThat(Arrays.copyOfRange(ids, ids.length - suffix, ids.length))
                        .containsExactly(Arrays.copyOfRange(whole, whole.length - suffix, whole.length));
                assertThat(window.ids().length).isLessThanOrEqualTo(MAX_SEQ_LENGTH);
                assertThat(window.untruncatedLength()).isEqualTo(whole.length);
            }
            // With a stride, window k holds the text's tokens from k * (room - stride), room at most, the
            // last one ending with the text: the same across the pieces' joins as anywhere else.
            int room = MAX_SEQ_LENGTH - prefix - suffix;
            for (int stride : new int[] {STRIDE, room - 1}) {
                List<Tokens> strided = tokenizer.windows(text.toString(), stride);
                int start = 0;
                int index = 0;
                while (true) {
                    int end = Math.min(start + room, content.length);
                    assertThat(index).as("stride %d: windows", stride).isLessThan(strided.size());
                    long[] ids = strided.get(index).ids();
                    assertThat(Arrays.copyOfRange(ids, prefix, ids.length - suffix)).as("stride %d, window %d", stride, index)
                            .containsExactly(Arrays.copyOfRange(content, start, end));
                    index++;
                    if (end == content.length) {
                        break;
                    }
                    start += room - stride;
                }
                assertThat(strided).as("stride %d: windows", stride).hasSize(index);
            }
            // Truncated, the text keeps its first tokens and knows its whole length.
            Tokens truncated = tokenizer.tokenize(List.of(text.toString())).get(0);
            long[] kept = LongStream.concat(LongStream.concat(LongStream.of(Arrays.copyOf(whole, prefix)),
                            LongStream.of(Arrays.copyOf(content, MAX_SEQ_LENGTH - prefix - suffix))),
                    LongStream.of(Arrays.copyOfRange(whole, whole.length - suffix, whole.length))).toArray();
            assertThat(truncated.ids()).containsExactly(kept);
            assertThat(truncated.untruncatedLength()).isEqualTo(whole.length);
        }
    }

    /** How many special tokens come before a text's own: where its ids without them start within its ids with them. */
    private static int prefixOf(long[] whole, long[] content) {
        int prefix = 0;
        while (!Arrays.equals(whole, prefix, prefix + content.length, content, 0, content.length)) {
            prefix++;
        }
        return prefix;
    }
}
