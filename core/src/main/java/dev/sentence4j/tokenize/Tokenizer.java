package dev.sentence4j.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerSettings settings;
    private final long padId;

    private Tokenizer(HuggingFaceTokenizer tokenizer, TokenizerSettings settings, long padId) {
        this.tokenizer = tokenizer;
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
        try {
            return new Tokenizer(HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options), settings, padId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
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
        String[] prepared = new String[texts.size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = prepare(texts.get(i), i);
        }
        Encoding[] encodings = tokenizer.batchEncode(prepared, true, false);
        int length = 0;
        for (Encoding encoding : encodings) {
            length = Math.max(length, encoding.getIds().length);
        }
        int cells = encodings.length * length;
        long[] ids = new long[cells];
        long[] mask = new long[cells];
        long[] types = new long[cells];
        Arrays.fill(ids, padId);
        for (int row = 0; row < encodings.length; row++) {
            long[] rowIds = encodings[row].getIds();
            int offset = row * length;
            System.arraycopy(rowIds, 0, ids, offset, rowIds.length);
            System.arraycopy(encodings[row].getTypeIds(), 0, types, offset, rowIds.length);
            Arrays.fill(mask, offset, offset + rowIds.length, 1L);
        }
        return new BatchEncoding(ids, mask, types, encodings.length, length);
    }

    /** The tokens one text becomes, special tokens included, after stripping, lowercasing and truncation. */
    public List<String> tokens(String text) {
        return List.of(tokenizer.encode(prepare(text, 0), true, false).getTokens());
    }

    private String prepare(String text, int index) {
        Objects.requireNonNull(text, () -> "text " + index + " is null");
        String stripped = PythonText.strip(text);
        return settings.doLowerCase() ? PythonText.lower(stripped) : stripped;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
