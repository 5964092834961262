package dev.sentence4j.tokenize;

/** Where a batch's shorter texts get their padding, as {@code tokenizer_config.json}'s {@code padding_side} says. */
public enum PaddingSide {
    /** After the tokens: encoders. */
    RIGHT,
    /** Before the tokens, so that every row ends with a real token: decoders such as Qwen3. */
    LEFT
}
