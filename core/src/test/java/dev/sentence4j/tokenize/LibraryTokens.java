package dev.sentence4j.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Token ids straight from the Hugging Face tokenizers library, special tokens added and nothing cut:
 * what the code under test must agree with, not derived from it.
 */
public final class LibraryTokens {
    private LibraryTokens() {}

    /** The ids of each text with a {@code tokenizer.json} of the test classpath. */
    public static List<long[]> untruncated(String tokenizerResource, List<String> texts) {
        try (InputStream in = LibraryTokens.class.getClassLoader().getResourceAsStream(tokenizerResource);
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in,
                        Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
            return texts.stream().map(text -> tokenizer.encode(text).getIds()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
