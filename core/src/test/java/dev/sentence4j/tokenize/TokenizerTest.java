package dev.sentence4j.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.Shared;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokenizing as sentence-transformers does, with the real all-MiniLM-L6-v2 and bge-small-en-v1.5 tokenizer.json. */
class TokenizerTest {
    private static Tokenizer miniLm;
    private static Tokenizer bge;
    private static List<String> edgeCases;

    @BeforeAll
    static void load() throws IOException {
        miniLm = load("all-minilm-l6-v2-tokenizer.json", new TokenizerSettings(256, false));
        bge = load("bge-small-en-v1.5-tokenizer.json", new TokenizerSettings(512, true));
        edgeCases = Shared.lines("reference/edge-cases.txt");
    }

    private static Tokenizer load(String resource, TokenizerSettings settings) throws IOException {
        try (InputStream in = TokenizerTest.class.getClassLoader().getResourceAsStream(resource)) {
            return Tokenizer.load(in, resource, settings);
        }
    }

    @AfterAll
    static void close() {
        miniLm.close();
        bge.close();
    }

    @Test
    void anEmptyTextIsClsThenSep() {
        BatchEncoding encoding = miniLm.encode(List.of(""));

        assertThat(encoding.inputIds()).containsExactly(101, 102);
        assertThat(encoding.attentionMask()).containsExactly(1, 1);
        assertThat(encoding.tokenTypeIds()).containsExactly(0, 0);
    }

    @Test
    void truncatesAtMaxSeqLengthNotAtTheTokenizerFilesOwnLimit() {
        // tokenizer.json of all-MiniLM-L6-v2 says truncate at 128; sentence-transformers says 256.
        String twoHundredTokens = String.join(" ", Collections.nCopies(198, "word"));
        assertThat(miniLm.encode(List.of(twoHundredTokens)).tokenCount(0)).isEqualTo(200);

        BatchEncoding longText = miniLm.encode(List.of(edgeCases.get(0)));
        assertThat(longText.sequenceLength()).isEqualTo(256);
        assertThat(longText.inputIds()[0]).isEqualTo(101);
        assertThat(longText.inputIds()[255]).isEqualTo(102);

        BatchEncoding veryLong = bge.encode(List.of(edgeCases.get(1)));
        assertThat(veryLong.sequenceLength()).isEqualTo(512);
        assertThat(veryLong.inputIds()[511]).isEqualTo(102);
    }

    @Test
    void windowsCoverALongTextWithOverlap() {
        String text = edgeCases.get(0);
        long[] all = LibraryTokens.untruncated("all-minilm-l6-v2-tokenizer.json", List.of(text)).get(0);
        long[] whole = Arrays.copyOfRange(all, 1, all.length - 1);
        assertThat(whole).hasSizeGreaterThan(254);

        List<Tokens> windows = miniLm.windows(text, 16);

        // As many windows as it takes for the last to reach the last token, and no more.
        assertThat(windows).hasSize(1 + (whole.length - 254 + 237) / 238);
        for (int w = 0; w < windows.size(); w++) {
            long[] ids = windows.get(w).ids();
            assertThat(ids.length).isLessThanOrEqualTo(256);
            assertThat(ids[0]).isEqualTo(101);
            assertThat(ids[ids.length - 1]).isEqualTo(102);
            assertThat(windows.get(w).untruncatedLength()).isEqualTo(whole.length + 2);
            // Each window starts 254 - 16 content tokens after the previous one.
            int start = w * (254 - 16);
            assertThat(Arrays.copyOfRange(ids, 1, ids.length - 1))
                    .containsExactly(Arrays.copyOfRange(whole, start, Math.min(start + 254, whole.length)));
        }
        assertThat(miniLm.windows("short text", 16)).hasSize(1);
        assertThatThrownBy(() -> miniLm.windows(text, 254)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void padsEachBatchToItsLongestText() {
        BatchEncoding batch = miniLm.encode(List.of("Hi", "A somewhat longer sentence than the first one."));

        int longest = batch.tokenCount(1);
        assertThat(batch.sequenceLength()).isEqualTo(longest);
        assertThat(batch.tokenCount(0)).isEqualTo(3);
        long[] firstRowMask = Arrays.copyOfRange(batch.attentionMask(), 0, longest);
        assertThat(firstRowMask).startsWith(1, 1, 1).containsOnly(0, 1);
        assertThat(Arrays.copyOfRange(batch.inputIds(), 3, longest)).containsOnly(miniLm.padId());
        assertThat(batch.inputIds(0)).containsExactly(miniLm.encode(List.of("Hi")).inputIds());
    }

    @Test
    void padsOnTheLeftWhenTheModelSaysSoAndCountsPositionsAmongRealTokens() throws IOException {
        try (Tokenizer left = load("all-minilm-l6-v2-tokenizer.json", new TokenizerSettings(256, false, PaddingSide.LEFT))) {
            BatchEncoding batch = left.encode(List.of("Hi", "Hi there you"));

            assertThat(batch.sequenceLength()).isEqualTo(5);
            assertThat(Arrays.copyOfRange(batch.attentionMask(), 0, 5)).containsExactly(0, 0, 1, 1, 1);
            assertThat(Arrays.copyOfRange(batch.inputIds(), 0, 2)).containsOnly(left.padId());
            assertThat(batch.inputIds(0)).containsExactly(miniLm.encode(List.of("Hi")).inputIds());
            assertThat(batch.positionIds()).containsExactly(1, 1, 0, 1, 2, 0, 1, 2, 3, 4);
        }
        BatchEncoding right = miniLm.encode(List.of("Hi", "Hi there you"));
        assertThat(Arrays.copyOfRange(right.attentionMask(), 0, 5)).containsExactly(1, 1, 1, 0, 0);
        assertThat(right.positionIds()).containsExactly(0, 1, 2, 1, 1, 0, 1, 2, 3, 4);
    }

    @Test
    void aPromptsLengthLeavesOutATrailingSpecialToken() {
        // [CLS] query : [SEP]: the [SEP] goes, the [CLS] stays, as sentence-transformers counts.
        assertThat(miniLm.promptLength("query: ")).isEqualTo(3);
        assertThat(miniLm.promptLength("")).isEqualTo(1);
    }

    @Test
    void keepsSurroundingWhiteSpaceWhichWordPieceIgnores() {
        long[] plain = miniLm.encode(List.of("hello world")).inputIds();

        assertThat(miniLm.encode(List.of("\u00a0\u3000 hello world\u2009\n")).inputIds()).containsExactly(plain);
    }

    /** Byte-level BPE (RoBERTa) spells a leading space into the first word's token, so stripping would show. */
    @Test
    void keepsSurroundingWhiteSpaceAsTheTokenizerSeesIt() {
        Path file = Shared.path("fixtures/st6/models/roberta-mean/tokenizer.json");
        List<String> texts = List.of("  hello world \n", "hello world");
        List<long[]> library = LibraryTokens.untruncated(file, texts);
        try (Tokenizer roberta = Tokenizer.load(file, new TokenizerSettings(512, false))) {
            List<Tokens> tokens = roberta.tokenize(texts);

            assertThat(tokens.get(0).ids()).containsExactly(library.get(0));
            assertThat(tokens.get(1).ids()).containsExactly(library.get(1));
            assertThat(tokens.get(0).ids()).isNotEqualTo(tokens.get(1).ids());
        }
    }

    @Test
    void lowercasesLetterByLetterInTheNormalizerOnlyWhenTheModelSaysSo() {
        // Letter by letter, a word-final capital sigma becomes σ; Python's str.lower(), which 5.x used, gives ς.
        assertThat(bge.tokens("ΟΔΟΣ")).isEqualTo(bge.tokens("οδοσ"));
        assertThat(bge.tokens("ΟΔΟΣ")).isNotEqualTo(bge.tokens("οδος"));
        assertThat(miniLm.tokens("ΟΔΟΣ")).isEqualTo(miniLm.tokens("οδοσ"));
        // Special tokens are split off before the normalizer runs, so they survive lowercasing.
        assertThat(bge.tokens("A [SEP] B")).containsExactly("[CLS]", "a", "[SEP]", "b", "[SEP]");
    }

    /**
     * bert-cls-dense-lower has a cased vocabulary; the real sentence-transformers 6 baked its
     * {@code do_lower_case} into tokenizer.json as a Lowercase step. Without that step the tokenizer is
     * cased, and {@code do_lower_case} alone must give the ids the real library gave; special tokens,
     * split off first, survive lowercasing.
     */
    @Test
    void doLowerCaseLowercasesACasedTokenizerAsTheRealLibraryDid() throws IOException {
        Path fixture = Shared.path("fixtures/st6/models/bert-cls-dense-lower/tokenizer.json");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(fixture.toFile());
        ArrayNode steps = (ArrayNode) json.path("normalizer").path("normalizers");
        assertThat(steps.get(0).path("type").asText()).isEqualTo("Lowercase");
        steps.remove(0);
        byte[] cased = json.toString().getBytes(StandardCharsets.UTF_8);
        JsonNode expected = new ObjectMapper().readTree(
                Shared.path("fixtures/st6/reference/bert-cls-dense-lower.public.tokens.json").toFile());
        List<String> texts = Shared.lines("fixtures/st6/public.txt");

        try (Tokenizer lower = Tokenizer.load(new ByteArrayInputStream(cased), "cased", new TokenizerSettings(48, true));
                Tokenizer asIs = Tokenizer.load(new ByteArrayInputStream(cased), "cased", new TokenizerSettings(48, false))) {
            List<Tokens> lowered = lower.tokenize(texts);
            List<Tokens> kept = asIs.tokenize(texts);
            int differing = 0;
            for (int i = 0; i < texts.size(); i++) {
                long[] ids = StreamSupport.stream(expected.get(i).spliterator(), false).mapToLong(JsonNode::longValue).toArray();
                assertThat(lowered.get(i).ids()).as("line %d lowercased", i + 1).containsExactly(ids);
                differing += Arrays.equals(kept.get(i).ids(), ids) ? 0 : 1;
            }
            // The tokenizer really is cased: without do_lower_case most lines (all have capitals) tokenize otherwise.
            assertThat(differing).isGreaterThan(texts.size() / 2);
            assertThat(asIs.tokens("Hello")).isNotEqualTo(asIs.tokens("hello"));
            assertThat(lower.tokens("Hello [SEP] World")).containsExactly("[CLS]", "he", "##ll", "##o", "[SEP]", "wor", "##ld", "[SEP]");
        }
    }

    @Test
    void spansPointIntoTheTextAsGivenInCodePoints() {
        String text = "  Héllo 😀 wörld ";

        List<TokenSpan> spans = miniLm.spans(text, true);

        assertThat(spans).extracting(TokenSpan::token).containsExactly("[CLS]", "hello", "[UNK]", "world", "[SEP]");
        assertThat(spans).extracting(TokenSpan::special).containsExactly(true, false, false, false, true);
        assertThat(spans.get(0).start()).isEqualTo(-1);
        assertThat(spans).extracting(TokenSpan::id).containsExactlyElementsOf(
                Arrays.stream(miniLm.tokenize(List.of(text)).get(0).ids()).boxed().toList());
        // Code points: the emoji is one, and "wörld" starts after it at 10 (11 in UTF-16 units).
        assertThat(List.of(spans.get(1).start(), spans.get(1).end())).containsExactly(2, 7);
        assertThat(List.of(spans.get(2).start(), spans.get(2).end())).containsExactly(8, 9);
        assertThat(List.of(spans.get(3).start(), spans.get(3).end())).containsExactly(10, 15);
        assertThat(miniLm.spans(text, false)).extracting(TokenSpan::token).containsExactly("hello", "[UNK]", "world");
    }

    @Test
    void spansSurviveLowercasingThatGrowsALetter() {
        // Lowercased whole, U+0130 becomes two code points; the spans after it must not shift.
        String text = "İstanbul ΣΑΣ x";

        List<TokenSpan> spans = bge.spans(text, false);

        TokenSpan last = spans.get(spans.size() - 1);
        assertThat(last.token()).isEqualTo("x");
        assertThat(List.of(last.start(), last.end())).containsExactly(13, 14);
        assertThat(spans.get(0).start()).isZero();
        assertThat(spans.get(0).end()).isEqualTo(8);
    }

    @Test
    void aNullTextIsNamedByIndex() {
        assertThatThrownBy(() -> miniLm.encode(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("text 1 is null");
    }

    @Test
    void anInvalidTokenizerFileIsNamed() {
        assertThatThrownBy(() -> Tokenizer.load(new java.io.ByteArrayInputStream("{\"model\": ".getBytes()), "broken.json",
                        new TokenizerSettings(128, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("broken.json is not valid JSON");
    }

    /** The MiniLM tokenizer.json with its top-level fields reordered and changed, as bytes. */
    private static byte[] rewritten(Consumer<ObjectNode> change,
            String... firstFields) throws IOException {
        var mapper = new ObjectMapper();
        ObjectNode original;
        try (InputStream in = TokenizerTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            original = (ObjectNode) mapper.readTree(in);
        }
        change.accept(original);
        ObjectNode reordered = mapper.createObjectNode();
        for (String field : firstFields) {
            reordered.set(field, original.get(field));
        }
        original.fields().forEachRemaining(e -> reordered.set(e.getKey(), e.getValue()));
        return mapper.writeValueAsBytes(reordered);
    }

    @Test
    void thePadIdIsFoundWhereverTheFileListsIt() throws IOException {
        // Read from the start of the file when padding comes first, as the library writes it; else as far as it takes.
        byte[] paddingFirst = rewritten(root -> ((ObjectNode) root.get("padding"))
                .put("pad_id", 7), "padding");
        byte[] paddingLast = rewritten(root -> {
            var padding = root.remove("padding");
            ((ObjectNode) padding).put("pad_id", 9);
            root.set("padding", padding);
        }, "model");
        byte[] noPaddingAddedLast = rewritten(root -> {
            root.putNull("padding");
            var added = root.remove("added_tokens");
            ((ObjectNode) added.get(0)).put("id", 11);
            root.set("added_tokens", added);
        }, "padding", "model");

        for (var file : List.of(Map.entry(paddingFirst, 7L), Map.entry(paddingLast, 9L), Map.entry(noPaddingAddedLast, 11L))) {
            try (Tokenizer tokenizer = Tokenizer.load(new ByteArrayInputStream(file.getKey()), "t.json",
                    new TokenizerSettings(128, false))) {
                assertThat(tokenizer.padId()).isEqualTo(file.getValue());
            }
        }
    }

    @Test
    void aFileBrokenAfterItsPaddingIsNamedWithWhereItBreaks() throws IOException {
        byte[] whole = rewritten(root -> { }, "padding", "added_tokens");
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);

        assertThatThrownBy(() -> Tokenizer.load(new ByteArrayInputStream(cut), "cut.json", new TokenizerSettings(128, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cut.json is not valid JSON at line 1, column ");
    }

    @Test
    void aTokenIdIsTheVocabularysAtAnyLengthAndOnlyForOneWholeToken() throws IOException {
        JsonNode vocabulary;
        try (InputStream in = TokenizerTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            vocabulary = new ObjectMapper().readTree(in).path("model").path("vocab");
        }
        try (Tokenizer shortest = load("all-minilm-l6-v2-tokenizer.json", new TokenizerSettings(1, false, PaddingSide.RIGHT, false))) {
            for (Tokenizer tokenizer : List.of(miniLm, shortest)) {
                assertThat(tokenizer.tokenId("yes")).hasValue(vocabulary.path("yes").longValue());
                assertThat(tokenizer.tokenId("no")).hasValue(vocabulary.path("no").longValue());
                // "tokenization" is "token" "##ization": cut to one token, it is still not one token.
                assertThat(tokenizer.tokenId("tokenization")).isEmpty();
            }
        }
    }

    @Test
    void neverPhonesHome() throws ReflectiveOperationException {
        // DJL records the time of its usage ping; it must never have run.
        Field lastCheckIn = Class.forName("ai.djl.util.Ec2Utils").getDeclaredField("lastCheckIn");
        lastCheckIn.setAccessible(true);

        assertThat(lastCheckIn.getLong(null)).isZero();
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }
}
