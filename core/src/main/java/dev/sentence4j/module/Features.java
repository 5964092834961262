package dev.sentence4j.module;

/**
 * What the modules of a pipeline pass on for one batch, as sentence-transformers' features dictionary:
 * each module reads an entry and sets the next. Entries not yet made are {@code null}. Arrays are shared:
 * treat them as read-only.
 *
 * @param tokens the token vectors (or masked-LM logits) with the attention mask
 * @param promptLengths per row, the tokens the prompt takes at the start, which pooling may leave out
 * @param sentence one vector per row
 * @param scores one row of logits per input
 * @param causalLogits a causal LM's logits at each input's last position, of the vocabulary rows read
 */
public record Features(TokenEmbeddings tokens, int[] promptLengths, float[][] sentence, float[][] scores,
        float[][] causalLogits) {
    /** Features holding a batch's token vectors. */
    public static Features ofTokens(TokenEmbeddings tokens) {
        return new Features(tokens, null, null, null, null);
    }

    /** Features holding one vector per row. */
    public static Features ofSentences(float[][] sentence) {
        return new Features(null, null, sentence, null, null);
    }

    /** Features holding one row of scores per input. */
    public static Features ofScores(float[][] scores) {
        return new Features(null, null, null, scores, null);
    }

    /** Features holding a causal LM's last-position logits, {@code [batch][rows]}. */
    public static Features ofCausalLogits(float[][] logits) {
        return new Features(null, null, null, null, logits);
    }

    /** These features with one row of scores per input. */
    public Features withScores(float[][] rows) {
        return new Features(tokens, promptLengths, sentence, rows, causalLogits);
    }

    /** These features with each row's prompt length. */
    public Features withPromptLengths(int[] lengths) {
        return new Features(tokens, lengths, sentence, scores, causalLogits);
    }

    /** These features with new sentence vectors. */
    public Features withSentence(float[][] vectors) {
        return new Features(tokens, promptLengths, vectors, scores, causalLogits);
    }

    /** The prompt length of each row: 0 where none was given. */
    public int[] promptLengthsOrZero(int rows) {
        return promptLengths != null ? promptLengths : new int[rows];
    }
}
