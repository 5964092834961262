package dev.sentence4j.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.util.PairList;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's Hugging Face tokenizer, applied as sentence-transformers 6 applies it: each text as given
 * (not stripped), lowercased by the tokenizer's normalizer when the model says so, truncated to
 * {@code maxSeqLength} tokens counting the special tokens, and the batch padded to its longest text on
 * the model's padding side. Thread-safe.
 */
public final class Tokenizer implements AutoCloseable {
    static {
        // DJL pings its makers on first use unless told not to; sentence4j never phones home.
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** Made on first use: loading the native library ahead ({@link #loadNativeLibrary}) need not wait for Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final String[] PAD_TOKENS = {"[PAD]", "<pad>", "<|pad|>", "<|endoftext|>"};
    /** Characters per piece a long text is tokenized in (see {@link #windows}). */
    static final int PIECE = 1 << 16;

    private final HuggingFaceTokenizer truncating;
    /**
     * The same tokenizer without truncation, to count and window the texts that are too long; made on
     * first use from {@link #json}, since most runs never need it and making one parses the whole file.
     */
    private volatile HuggingFaceTokenizer whole;
    private final byte[] json;
    private final Map<String, String> untruncated;
    private final TokenizerSettings settings;
    private final long padId;

    private Tokenizer(HuggingFaceTokenizer truncating, byte[] json, Map<String, String> untruncated, TokenizerSettings settings,
            long padId) {
        this.truncating = truncating;
        this.json = json;
        this.untruncated = untruncated;
        this.settings = settings;
        this.padId = padId;
    }

    /**
     * Loads the tokenizers library's native code now rather than with the first tokenizer, so that a
     * program can have it ready while it does other work; a tokenizer loaded later shares it.
     *
     * @throws RuntimeException if the native library cannot be loaded on this platform
     */
    public static void loadNativeLibrary() {
        LibUtils.checkStatus();
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
        long padId;
        if (settings.doLowerCase()) {
            ObjectNode root = parse(json, source);
            padId = padId(root.path("padding"), root.path("added_tokens"));
            json = withLowercase(root);
        } else {
            padId = padId(json, source);
        }
        String max = Integer.toString(settings.maxSeqLength());
        String special = Boolean.toString(settings.addSpecialTokens());
        Map<String, String> options = Map.of(
                "addSpecialTokens", special,
                "truncation", "LONGEST_FIRST",
                "padding", "false",
                "maxLength", max,
                "modelMaxLength", max,
                "stride", "0");
        Map<String, String> untruncated = Map.of("addSpecialTokens", special, "truncation", "false", "padding", "false");
        try {
            return new Tokenizer(HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options), json, untruncated,
                    settings, padId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Only the start of the file was read here: a whole parse says where a broken file breaks, if it does.
            parse(json, source);
            throw new IllegalArgumentException(source + " is not a tokenizer the Hugging Face tokenizers library accepts: "
                    + e.getMessage(), e);
        }
    }

    private static ObjectNode parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalidJson(e, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw notAnObject(source);
        }
        return (ObjectNode) root;
    }

    private static IllegalArgumentException invalidJson(JsonProcessingException e, String source) {
        var at = e.getLocation();
        return new IllegalArgumentException(source + " is not valid JSON"
                + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                + ": " + e.getOriginalMessage(), e);
    }

    private static IllegalArgumentException notAnObject(String source) {
        return new IllegalArgumentException(source + " is not a tokenizer.json: expected a JSON object");
    }

    /**
     * The padding id, read from the start of the file only: {@code tokenizer.json} lists its
     * {@code padding} and {@code added_tokens} before its model, whose vocabulary makes up nearly all
     * of the file and would cost a tenth of a second to read at start-up. A file in another order is
     * read as far as it takes.
     */
    private static long padId(byte[] json, String source) {
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject(source);
            }
            JsonNode padding = null;
            JsonNode added = null;
            while ((padding == null || added == null) && parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("padding")) {
                    padding = tree(parser);
                } else if (field.equals("added_tokens")) {
                    added = tree(parser);
                } else {
                    parser.skipChildren();
                }
                if (padding != null && padding.path("pad_id").canConvertToLong()) {
                    break;
                }
            }
            return padId(padding == null ? MissingNode.getInstance() : padding, added == null ? MissingNode.getInstance() : added);
        } catch (JsonProcessingException e) {
            throw invalidJson(e, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(JsonParser parser) throws IOException {
        JsonNode node = Json.MAPPER.readTree(parser);
        return node == null ? NullNode.getInstance() : node;
    }

    /**
     * The tokenizer with a {@code Lowercase} normalizer before its own, as sentence-transformers 6 sets
     * up {@code do_lower_case}: unless a bare Lowercase is there already (a lowercasing BertNormalizer
     * does not count). It runs after special tokens are split off and lowercases letter by letter, so a
     * final capital sigma becomes σ, not the ς of Python's {@code str.lower()} that 5.x applied.
     */
    private static byte[] withLowercase(ObjectNode root) {
        JsonNode normalizer = root.path("normalizer");
        List<JsonNode> steps = new ArrayList<>();
        if (isType(normalizer, "Sequence")) {
            normalizer.path("normalizers").forEach(steps::add);
        } else if (normalizer.isObject()) {
            steps.add(normalizer);
        }
        if (steps.stream().anyMatch(step -> isType(step, "Lowercase"))) {
            return root.toString().getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode sequence = Json.MAPPER.createObjectNode().put("type", "Sequence");
        ArrayNode normalizers = sequence.putArray("normalizers");
        normalizers.addObject().put("type", "Lowercase");
        steps.forEach(normalizers::add);
        root.set("normalizer", sequence);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isType(JsonNode node, String type) {
        return node.isObject() && type.equals(node.path("type").asText());
    }

    /** The padding id written in the file, else the id of a conventional pad token, else 0. */
    private static long padId(JsonNode padding, JsonNode addedTokens) {
        JsonNode padId = padding.path("pad_id");
        if (padId.canConvertToLong()) {
            return padId.longValue();
        }
        for (JsonNode added : addedTokens) {
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
        String[] given = new String[texts.size()];
        for (int i = 0; i < given.length; i++) {
            String text = requireText(texts.get(i), i);
            // A long text's first piece, when it fills the model alone, gives the text's truncated ids:
            // the library would tokenize the whole text before cutting it.
            given[i] = text.substring(0, pieceEnd(text, 0));
        }
        NativeIds.Encoded[] encodings = NativeIds.encode(truncating, given, settings.addSpecialTokens());
        List<Tokens> tokens = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            String text = texts.get(i);
            boolean cut = given[i].length() < text.length();
            NativeIds.Encoded encoding = cut && !encodings[i].cut()
                    ? NativeIds.encode(truncating, new String[] {text}, settings.addSpecialTokens())[0] : encodings[i];
            long[] ids = encoding.ids();
            int length = cut || encoding.cut() ? sequence(text).ids().length : ids.length;
            tokens.add(new Tokens(ids, encoding.typeIds(), length));
        }
        return tokens;
    }

    /**
     * Tokenizes pairs of texts as the tokenizer pairs them: {@code [CLS] a [SEP] b [SEP]} with segment
     * ids 0 then 1 for BERT, or as its {@code tokenizer.json} post-processor says. A pair too long for the
     * model loses tokens from its longer text first ({@code longest_first}), as sentence-transformers'
     * CrossEncoder truncates; each result knows how long the whole pair would have been.
     *
     * @param firsts the first text of each pair
     * @param seconds the second text of each pair, as many
     * @throws NullPointerException naming the index of a null text
     */
    public List<Tokens> tokenizePairs(List<String> firsts, List<String> seconds) {
        if (firsts.size() != seconds.size()) {
            throw new IllegalArgumentException(firsts.size() + " first texts but " + seconds.size() + " second texts");
        }
        PairList<String, String> prepared = new PairList<>(firsts.size());
        for (int i = 0; i < firsts.size(); i++) {
            prepared.add(requireText(firsts.get(i), i), requireText(seconds.get(i), i));
        }
        Encoding[] encodings = truncating.batchEncode(prepared, settings.addSpecialTokens(), false);
        List<Tokens> tokens = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            long[] ids = encodings[i].getIds();
            // Only a pair that fills the model's length may have been cut: count the whole of it.
            int length = ids.length < settings.maxSeqLength() ? ids.length
                    : whole().encode(prepared.keyAt(i), prepared.valueAt(i), settings.addSpecialTokens(), false).getIds().length;
            tokens.add(new Tokens(ids, encodings[i].getTypeIds(), length));
        }
        return tokens;
    }

    /**
     * Splits a text into windows of at most the maximum sequence length, each with the model's special
     * tokens; consecutive windows share {@code stride} tokens. A text that fits gives one window. The
     * windows are made as they are read, and a long text is tokenized piece by piece, so that however
     * long the text, memory holds only its token ids, once.
     *
     * @throws IllegalArgumentException if the stride leaves no room for new tokens in a window
     */
    public List<Tokens> windows(String text, int stride) {
        Sequence sequence = sequence(requireText(text, 0));
        long[] ids = sequence.ids();
        if (ids.length <= settings.maxSeqLength()) {
            return List.of(new Tokens(ids, sequence.typeIds(), ids.length));
        }
        int prefix = sequence.prefix();
        int suffix = sequence.suffix();
        int room = settings.maxSeqLength() - prefix - suffix;
        if (stride < 0 || stride >= room) {
            throw new IllegalArgumentException("stride must be at least 0 and below " + room
                    + " (the tokens a window holds besides the special tokens), got " + stride);
        }
        int contentEnd = ids.length - suffix;
        int step = room - stride;
        int count = (contentEnd - prefix - room + step - 1) / step + 1;
        long[] typeIds = sequence.typeIds();
        return new AbstractList<>() {
            @Override
            public Tokens get(int index) {
                int start = prefix + Objects.checkIndex(index, count) * step;
                int end = Math.min(start + room, contentEnd);
                return new Tokens(window(ids, prefix, start, end, suffix), window(typeIds, prefix, start, end, suffix),
                        ids.length);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** A whole text's ids and type ids, with how many special tokens come before and after its own. */
    private record Sequence(long[] ids, long[] typeIds, int prefix, int suffix) {}

    /**
     * Tokenizes a whole text, special tokens added. A text longer than {@link #PIECE} characters is
     * tokenized in pieces cut at a single space between two letters or digits, where every tokenizer
     * sentence-transformers models use splits at anyway (the space goes with the word after it), so the
     * ids are the whole text's; the library's per-token objects then exist for one piece at a time.
     */
    private Sequence sequence(String text) {
        int firstEnd = pieceEnd(text, 0);
        Encoding first = whole().encode(text.substring(0, firstEnd), settings.addSpecialTokens(), false);
        long[] special = first.getSpecialTokenMask();
        int prefix = 0;
        while (prefix < special.length && special[prefix] == 1) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < special.length - prefix && special[special.length - 1 - suffix] == 1) {
            suffix++;
        }
        if (firstEnd == text.length()) {
            return new Sequence(first.getIds(), first.getTypeIds(), prefix, suffix);
        }
        TokenColumns ids = new TokenColumns();
        ids.add(first, 0, first.getIds().length - suffix);
        for (int start = firstEnd; start < text.length(); ) {
            int end = pieceEnd(text, start);
            Encoding piece = whole().encode(text.substring(start, end), false, false);
            ids.add(piece, 0, piece.getIds().length);
            start = end;
        }
        ids.add(first, first.getIds().length - suffix, first.getIds().length);
        return new Sequence(ids.ids(), ids.typeIds(), prefix, suffix);
    }

    /**
     * Where the piece starting at {@code start} ends: at the last single space between two letters or digits
     * within {@link #PIECE} characters; else at the first one after; else at the text's end.
     */
    private static int pieceEnd(String text, int start) {
        if (text.length() - start <= PIECE) {
            return text.length();
        }
        for (int i = Math.min(start + PIECE, text.length() - 2); i > start; i--) {
            if (isCut(text, i)) {
                return i;
            }
        }
        for (int i = start + PIECE + 1; i < text.length() - 1; i++) {
            if (isCut(text, i)) {
                return i;
            }
        }
        return text.length();
    }

    private static boolean isCut(String text, int i) {
        return text.charAt(i) == ' ' && Character.isLetterOrDigit(text.charAt(i - 1)) && Character.isLetterOrDigit(text.charAt(i + 1));
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
            int offset = r * length + (settings.paddingSide() == PaddingSide.LEFT ? length - row.length() : 0);
            System.arraycopy(row.ids(), 0, ids, offset, row.length());
            System.arraycopy(row.typeIds(), 0, types, offset, row.length());
            Arrays.fill(mask, offset, offset + row.length(), 1L);
        }
        return new BatchEncoding(ids, mask, types, rows.size(), length);
    }

    /**
     * How many leading tokens a prompt takes once prepended to a text, as sentence-transformers counts
     * them: the prompt's own tokens, less a trailing special token ({@code [SEP]}, {@code </s>}).
     */
    public int promptLength(String prompt) {
        Encoding encoding = truncating.encode(requireText(prompt, 0), settings.addSpecialTokens(), false);
        long[] special = encoding.getSpecialTokenMask();
        int length = special.length;
        return length > 0 && special[length - 1] == 1 ? length - 1 : length;
    }

    /** The text that token ids spell, special tokens left out: for messages about a text already tokenized. */
    public String decode(long[] ids) {
        return truncating.decode(ids, true);
    }

    /**
     * The ids of a text already in the model's input format (a rendered chat template, which holds its
     * special tokens itself), untruncated: no special tokens are added, as transformers tokenizes a chat.
     */
    public long[] idsAsRendered(String text) {
        return whole().encode(requireText(text, 0), false, false).getIds();
    }

    /**
     * The id of a token of the vocabulary, as {@code convert_tokens_to_ids} looks one up: the text must
     * be that one token exactly (not "Ġyes" or "▁yes").
     */
    public java.util.OptionalLong tokenId(String token) {
        // The truncating tokenizer gives the untruncated one's answer, since it keeps at least one token and
        // a text cut to one token is not that token; it saves making the untruncated one when a reranker loads.
        Encoding encoding = truncating.encode(requireText(token, 0), false, false);
        return encoding.getIds().length == 1 && encoding.getTokens()[0].equals(token)
                ? java.util.OptionalLong.of(encoding.getIds()[0]) : java.util.OptionalLong.empty();
    }

    /** The tokens one text becomes, special tokens included, after truncation. */
    public List<String> tokens(String text) {
        return List.of(truncating.encode(requireText(text, 0), settings.addSpecialTokens(), false).getTokens());
    }

    /**
     * Every token one text makes, untruncated, each with the part of the text it stands for.
     *
     * @param addSpecialTokens whether to add the model's special tokens ({@code [CLS]}, {@code [SEP]})
     */
    public List<TokenSpan> spans(String text, boolean addSpecialTokens) {
        Encoding encoding = whole().encode(requireText(text, 0), addSpecialTokens, false);
        long[] ids = encoding.getIds();
        String[] tokens = encoding.getTokens();
        long[] special = encoding.getSpecialTokenMask();
        CharSpan[] spans = encoding.getCharTokenSpans();
        List<TokenSpan> result = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            CharSpan span = spans[i];
            boolean covers = span != null && span.getEnd() > span.getStart();
            result.add(new TokenSpan(ids[i], tokens[i], special[i] == 1,
                    covers ? span.getStart() : -1, covers ? span.getEnd() : -1));
        }
        return result;
    }

    /**
     * The text token ids stand for, as the tokenizer's decoder joins them; an id the vocabulary lacks
     * stands for nothing.
     *
     * @param skipSpecialTokens leave out the model's special tokens ({@code [CLS]}, {@code [SEP]})
     */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return whole().decode(ids, skipSpecialTokens);
    }

    /** The text as given: sentence-transformers 6 neither strips nor lowercases it before the tokenizer. */
    private static String requireText(String text, int index) {
        return Objects.requireNonNull(text, () -> "text " + index + " is null");
    }

    private HuggingFaceTokenizer whole() {
        HuggingFaceTokenizer made = whole;
        if (made == null) {
            synchronized (this) {
                made = whole;
                if (made == null) {
                    try {
                        made = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), untruncated);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    whole = made;
                }
            }
        }
        return made;
    }

    @Override
    public void close() {
        try {
            truncating.close();
        } finally {
            synchronized (this) {
                if (whole != null) {
                    whole.close();
                }
            }
        }
    }
}
