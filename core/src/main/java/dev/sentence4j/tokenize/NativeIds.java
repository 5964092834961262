package dev.sentence4j.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;

/**
 * Texts tokenized by the tokenizers library, reading back only what a model is given: each text's ids,
 * type ids and whether truncation cut it. DJL's {@code Encoding} copies nine arrays out of native memory
 * for every text, among them a Java string per token and an object per character span: for short texts,
 * about a fifth of the CPU tokenizing takes.
 */
final class NativeIds {
    /**
     * One text's tokens.
     *
     * @param cut whether truncation left tokens out
     */
    record Encoded(long[] ids, long[] typeIds, boolean cut) {}

    private NativeIds() {}

    /**
     * Tokenizes the texts as {@link HuggingFaceTokenizer#batchEncode(String[], boolean, boolean)} does, with
     * the truncation the tokenizer was made with.
     *
     * @throws IllegalStateException if the tokenizer is closed
     */
    static Encoded[] encode(HuggingFaceTokenizer tokenizer, String[] texts, boolean addSpecialTokens) {
        TokenizersLibrary library = TokenizersLibrary.LIB;
        long[] encodings = library.batchEncode(tokenizer.getHandle(), texts, addSpecialTokens);
        Encoded[] encoded = new Encoded[encodings.length];
        try {
            for (int i = 0; i < encodings.length; i++) {
                long encoding = encodings[i];
                encoded[i] = new Encoded(library.getTokenIds(encoding), library.getTypeIds(encoding),
                        library.getOverflowCount(encoding) > 0);
            }
        } finally {
            for (long encoding : encodings) {
                library.deleteEncoding(encoding);
            }
        }
        return encoded;
    }
}
