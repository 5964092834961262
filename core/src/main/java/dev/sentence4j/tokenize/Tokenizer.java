package dev.sentence4j.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A model's Hugging Face tokenizer, applied as sentence-transformers applies it: each text stripped,
 * lowercased when the model says so, truncated to {@code maxSeqLength} tokens counting the special
 * tokens, and the batch padded to its longest text. Thread-safe.
 */
public final class Tokenizer implements AutoCloseable {
    static {
        // DJL pings its makers on first use unless told not to; sentence4j never phones home.
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PAD_TOKENS = {"[PAD]", "<pad>", "<|pad|>", "<|endoftext|>"};

    private final HuggingFaceTokenizer truncating;
    /** The same tokenizer without truncation, to count and window the texts that are too long. */
    private final HuggingFaceTokenizer whole;
    private final TokenizerSettings settings;
    private final long padId;

    private Tokenizer(HuggingFaceTokenizer truncating, HuggingFaceTokenizer whole, TokenizerSettings settings, long padId) {
        this.truncating = truncating;
        this.whole = whole;
        this.settings = settings;
        this.padId = padId;
    }

    /**
     * Loads a {@code tokenizer.json} file.
     *
     * @throws IllegalArgumentException naming the file if it is not a valid tokenizer
     * @throws UncheckedIOException if it cannot be read
     */
    public static Tokenizer load(Path tokenizerJson, TokenizerSettings settings) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return load(in, tokenizerJson.toAbsolutePath().toString(), settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerJson.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a {@code tokenizer.json} from a stream; {@code source} names it in error messages.
     *
     * @throws IllegalArgumentException naming the source if it is not a valid tokenizer
     */
    public static Tokenizer load(InputStream tokenizerJson, String source, TokenizerSettings settings) {
        byte[] json;
        try {
            json = tokenizerJson.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        long padId = padId(json, source);
        String max = Integer.toString(settings.maxSeqLength());
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "LONGEST_FIRST",
                "padding", "false",
                "maxLength", max,
                "modelMaxLength", max,
                "stride", "0");
        Map<String, String> untruncated = Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");
        HuggingFaceTokenizer truncating = null;
        try {
            truncating = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
            HuggingFaceTokenizer whole = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), untruncated);
            return new Tokenizer(truncating, whole, settings, padId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (truncating != null) {
                truncating.close();
            }
            throw new IllegalArgumentException(source + " is not a tokenizer the Hugging Face tokenizers library accepts: "
                    + e.getMessage(), e);
        }
    }

    /** The padding id written in the file, else the id of a conventional pad token, else 0. */
    private static long padId(byte[] json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException(source + " is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " is not a tokenizer.json: expected a JSON object");
        }
        JsonNode padding = root.path("padding").path("pad_id");
        if (padding.canConvertToLong()) {
            return padding.longValue();
        }
        for (JsonNode added : root.path("added_tokens")) {
            if (Arrays.asList(PAD_TOKENS).contains(added.path("content").asText())) {
                return added.path("id").asLong();
            }
        }
        return 0;
    }

    /** The settings this tokenizer follows. */
    public TokenizerSettings settings() {
        return settings;
    }

    /** The id that fills padded positions. */
    public long padId() {
        return padId;
    }

    /**
     * Tokenizes a batch of texts into one padded encoding, a row per text in order.
     *
     * @throws NullPointerException naming the index of a null text
     */
    public BatchEncoding encode(List<String> texts) {
        return pad(tokenize(texts));
    }

    /**
     * Tokenizes each text, truncated to the maximum sequence length; each result knows how long the
     * whole text would have been.
     *
     * @throws NullPointerException naming the index of a null text
     */
    public List<Tokens> tokenize(List<String> texts) {
        String[] prepared = new String[texts.size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = prepare(texts.get(i), i);
        }
        Encoding[] encodings = truncating.batchEncode(prepared, true, false);
        List<Tokens> tokens = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            long[] ids = encodings[i].getIds();
            int length = encodings[i].exceedMaxLength() ? whole.encode(prepared[i], true, false).getIds().length : ids.length;
            tokens.add(new Tokens(ids, encodings[i].getTypeIds(), length));
        }
        return tokens;
    }

    /**
     * Splits a text into windows of at most the maximum sequence length, each with the model's special
     * tokens; consecutive windows share {@code stride} tokens. A text that fits gives one window. The
     * windows are made as they are read, so that however long the text, memory holds its tokens once.
     *
     * @throws IllegalArgumentException if the stride leaves no room for new tokens in a window
     */
    public List<Tokens> windows(String text, int stride) {
        Encoding encoding = whole.encode(prepare(text, 0), true, false);
        long[] ids = encoding.getIds();
        if (ids.length <= settings.maxSeqLength()) {
            return List.of(new Tokens(ids, encoding.getTypeIds(), ids.length));
        }
        long[] special = encoding.getSpecialTokenMask();
        int prefix = 0;
        while (prefix < ids.length && special[prefix] == 1) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < ids.length - prefix && special[ids.length - 1 - suffix] == 1) {
            suffix++;
        }
        int room = settings.maxSeqLength() - prefix - suffix;
        if (stride < 0 || stride >= room) {
            throw new IllegalArgumentException("stride must be at least 0 and below " + room
                    + " (the tokens a window holds besides the special tokens), got " + stride);
        }
        int contentEnd = ids.length - suffix;
        int step = room - stride;
        int count = (contentEnd - prefix - room + step - 1) / step + 1;
        long[] typeIds = encoding.getTypeIds();
        int prefixLength = prefix;
        int suffixLength = suffix;
        return new AbstractList<>() {
            @Override
            public Tokens get(int index) {
                int start = prefixLength + Objects.checkIndex(index, count) * step;
                int end = Math.min(start + room, contentEnd);
                return new Tokens(window(ids, prefixLength, start, end, suffixLength),
                        window(typeIds, prefixLength, start, end, suffixLength), ids.length);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** The special prefix, {@code values[start, end)}, then the special suffix. */
    private static long[] window(long[] values, int prefix, int start, int end, int suffix) {
        long[] out = new long[prefix + (end - start) + suffix];
        System.arraycopy(values, 0, out, 0, prefix);
        System.arraycopy(values, start, out, prefix, end - start);
        System.arraycopy(values, values.length - suffix, out, prefix + end - start, suffix);
        return out;
    }

    /** Pads tokenized texts into one batch as long as its longest row. */
    public BatchEncoding pad(List<Tokens> rows) {
        int length = 0;
        for (Tokens row : rows) {
            length = Math.max(length, row.length());
        }
        int cells = rows.size() * length;
        long[] ids = new long[cells];
        long[] mask = new long[cells];
        long[] types = new long[cells];
        Arrays.fill(ids, padId);
        for (int r = 0; r < rows.size(); r++) {
            Tokens row = rows.get(r);
            int offset = r * length;
            System.arraycopy(row.ids(), 0, ids, offset, row.length());
            System.arraycopy(row.typeIds(), 0, types, offset, row.length());
            Arrays.fill(mask, offset, offset + row.length(), 1L);
        }
        return new BatchEncoding(ids, mask, types, rows.size(), length);
    }

    /**
     * How many leading tokens a prompt takes once prepended to a text: its own tokens with the
     * leading special token, as sentence-transformers counts them.
     */
    public int promptLength(String prompt) {
        return truncating.encode(prepare(prompt, 0), true, false).getIds().length - 1;
    }

    /** The tokens one text becomes, special tokens included, after stripping, lowercasing and truncation. */
    public List<String> tokens(String text) {
        return List.of(truncating.encode(prepare(text, 0), true, false).getTokens());
    }

    /**
     * Every token one text makes, untruncated, each with the part of the text it stands for: the text is
     * tokenized as the model sees it (stripped, lowercased when the model says so) and the offsets are
     * mapped back to the text as given.
     *
     * @param addSpecialTokens whether to add the model's special tokens ({@code [CLS]}, {@code [SEP]})
     */
    public List<TokenSpan> spans(String text, boolean addSpecialTokens) {
        String prepared = prepare(text, 0);
        Encoding encoding = whole.encode(prepared, addSpecialTokens, false);
        int[] original = originalOffsets(text, prepared);
        long[] ids = encoding.getIds();
        String[] tokens = encoding.getTokens();
        long[] special = encoding.getSpecialTokenMask();
        CharSpan[] spans = encoding.getCharTokenSpans();
        List<TokenSpan> result = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            CharSpan span = spans[i];
            boolean covers = span != null && span.getEnd() > span.getStart();
            result.add(new TokenSpan(ids[i], tokens[i], special[i] == 1,
                    covers ? original[span.getStart()] : -1, covers ? original[span.getEnd() - 1] + 1 : -1));
        }
        return result;
    }

    /**
     * For each code point of the prepared text, the code point of the given text it comes from.
     * Stripping shifts every offset by the leading white space (all of it in the BMP); lowercasing
     * keeps one code point per code point except for a few letters that grow (U+0130 becomes i plus a
     * combining dot), and the final-sigma rule changes a letter but not a length, so lowercasing code
     * point by code point tells where each prepared code point came from.
     */
    private int[] originalOffsets(String text, String prepared) {
        String stripped = PythonText.strip(text);
        int source = 0;
        while (source < text.length() && PythonText.isSpace(text.charAt(source))) {
            source++;
        }
        int[] offsets = new int[prepared.codePointCount(0, prepared.length())];
        int at = 0;
        for (int i = 0; i < stripped.length(); source++) {
            int codePoint = stripped.codePointAt(i);
            i += Character.charCount(codePoint);
            int grows = settings.doLowerCase()
                    ? (int) new String(Character.toChars(codePoint)).toLowerCase(Locale.ROOT).codePoints().count()
                    : 1;
            for (int k = 0; k < grows && at < offsets.length; k++) {
                offsets[at++] = source;
            }
        }
        return offsets;
    }

    private String prepare(String text, int index) {
        Objects.requireNonNull(text, () -> "text " + index + " is null");
        String stripped = PythonText.strip(text);
        return settings.doLowerCase() ? PythonText.lower(stripped) : stripped;
    }

    @Override
    public void close() {
        try {
            truncating.close();
        } finally {
            whole.close();
        }
    }
}
