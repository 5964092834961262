package dev.sentence4j.tokenize;

import java.util.Objects;
import java.util.stream.IntStream;

/**
 * How sentence-transformers sets up a model's tokenizer. These override any truncation or padding
 * written inside {@code tokenizer.json}.
 *
 * @param maxSeqLength the most tokens a text keeps, special tokens included
 * @param doLowerCase whether a Lowercase step goes before the tokenizer's own normalizer (the old
 *     {@code do_lower_case} of {@code sentence_bert_config.json})
 * @param paddingSide where shorter texts of a batch are padded
 * @param addSpecialTokens whether texts get the model's special tokens ({@code [CLS]}, {@code [SEP]}); a
 *     static token table's tokenizer adds none
 */
public record TokenizerSettings(int maxSeqLength, boolean doLowerCase, PaddingSide paddingSide, boolean addSpecialTokens) {
    public TokenizerSettings {
        int least = addSpecialTokens ? 2 : 1;
        if (maxSeqLength < least) {
            throw new IllegalArgumentException("maxSeqLength must be at least " + least
                    + (addSpecialTokens ? ", room for the special tokens" : "") + "; got " + maxSeqLength);
        }
        Objects.requireNonNull(paddingSide, "paddingSide");
    }

    /** Settings adding the model's special tokens, as a transformer's tokenizer does. */
    public TokenizerSettings(int maxSeqLength, boolean doLowerCase, PaddingSide paddingSide) {
        this(maxSeqLength, doLowerCase, paddingSide, true);
    }

    /** Settings padding on the right, as encoders do. */
    public TokenizerSettings(int maxSeqLength, boolean doLowerCase) {
        this(maxSeqLength, doLowerCase, PaddingSide.RIGHT);
    }

    /**
     * The tokens a model runs on for texts of these whole lengths (special tokens and prompt included):
     * each counted as cut to {@link #maxSeqLength()}, as usage reports count them.
     */
    public int tokensRun(IntStream wholeCounts) {
        return wholeCounts.map(count -> Math.min(count, maxSeqLength)).sum();
    }
}
