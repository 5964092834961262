package dev.sentence4j.tokenize;

/**
 * How sentence-transformers prepares texts for a model, from its {@code sentence_bert_config.json}.
 * These override any truncation or padding written inside {@code tokenizer.json}.
 *
 * @param maxSeqLength the most tokens a text keeps, special tokens included
 * @param doLowerCase whether each text is lowercased (as a whole string) before tokenizing
 */
public record TokenizerSettings(int maxSeqLength, boolean doLowerCase) {
    public TokenizerSettings {
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength must leave room for the special tokens, got " + maxSeqLength);
        }
    }
}
