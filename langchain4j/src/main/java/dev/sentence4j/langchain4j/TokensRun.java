package dev.sentence4j.langchain4j;

import dev.langchain4j.model.output.TokenUsage;
import dev.sentence4j.tokenize.Tokenizer;
import java.util.stream.IntStream;

/** The token usage adapters report: the tokens the transformer ran on, not the tokens the inputs make. */
final class TokensRun {
    private TokensRun() {}

    /**
     * Each input's tokens (special tokens and prompt included), an input longer than the model takes
     * counted as cut to its maximum sequence length.
     *
     * @param untruncatedCounts the tokens each whole input makes
     */
    static TokenUsage usage(IntStream untruncatedCounts, Tokenizer tokenizer) {
        int most = tokenizer.settings().maxSeqLength();
        return new TokenUsage(untruncatedCounts.map(count -> Math.min(count, most)).sum());
    }
}
