package dev.sentence4j.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Token ids straight from the Hugging Face tokenizers library, special tokens added and nothing cut:
 * what the code under test must agree with, not derived from it.
 */
public final class LibraryTokens {
    static {
        // Called before sentence4j's Tokenizer, DJL would ping its makers; the tests never phone home either.
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private LibraryTokens() {}

    /** The ids of each text with a {@code tokenizer.json} of the test classpath. */
    public static List<long[]> untruncated(String tokenizerResource, List<String> texts) {
        try (InputStream in = LibraryTokens.class.getClassLoader().getResourceAsStream(tokenizerResource)) {
            return untruncated(in, texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids of each text with a {@code tokenizer.json} file. */
    public static List<long[]> untruncated(Path tokenizerJson, List<String> texts) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return untruncated(in, texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids of a text with a {@code tokenizer.json} file, no special tokens added. */
    public static long[] withoutSpecialTokens(Path tokenizerJson, String text) {
        try (InputStream in = Files.newInputStream(tokenizerJson);
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in,
                        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            return tokenizer.encode(text).getIds();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<long[]> untruncated(InputStream tokenizerJson, List<String> texts) throws IOException {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
            return texts.stream().map(text -> tokenizer.encode(text).getIds()).toList();
        }
    }
}
