package dev.sentence4j;

import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts made ready for the model by {@link SentenceTransformer#tokenize}: each with the prompt the
 * options call for, tokenized once, so that its token count is known before anything is encoded (a
 * server refuses a text too long for the model, or counts a batch's tokens, without tokenizing it
 * twice). Encode them with {@link SentenceTransformer#encodeWithDetails(TokenizedTexts)}, alone or
 * {@linkplain #join joined} with others of the same options. Immutable.
 */
public final class TokenizedTexts {
    private final Tokenizer tokenizer;
    private final List<String> texts;
    private final List<String> inputs;
    private final List<Tokens> tokens;
    private final int promptLength;
    private final EncodeOptions options;

    TokenizedTexts(Tokenizer tokenizer, List<String> texts, List<String> inputs, List<Tokens> tokens, int promptLength,
            EncodeOptions options) {
        this.tokenizer = tokenizer;
        this.texts = texts;
        this.inputs = inputs;
        this.tokens = tokens;
        this.promptLength = promptLength;
        this.options = options;
    }

    /**
     * These texts followed by others as one call, for texts of several requests encoded together.
     *
     * @throws IllegalArgumentException if they were tokenized by other models or for other options
     */
    public static TokenizedTexts join(List<TokenizedTexts> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        TokenizedTexts first = parts.get(0);
        List<String> texts = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<Tokens> tokens = new ArrayList<>();
        for (TokenizedTexts part : parts) {
            if (part.tokenizer != first.tokenizer || !part.options.equals(first.options)) {
                throw new IllegalArgumentException("only texts tokenized by one model with the same options can be joined");
            }
            texts.addAll(part.texts);
            inputs.addAll(part.inputs);
            tokens.addAll(part.tokens);
        }
        return new TokenizedTexts(first.tokenizer, List.copyOf(texts), List.copyOf(inputs), List.copyOf(tokens),
                first.promptLength, first.options);
    }

    /** How many texts there are. */
    public int size() {
        return texts.size();
    }

    /** The texts as given, without their prompt. */
    public List<String> texts() {
        return texts;
    }

    /** The tokens the whole text makes, special tokens and prompt included, before any truncation. */
    public int tokenCount(int index) {
        return tokens.get(index).untruncatedLength();
    }

    /** The options they were tokenized for, and will be encoded with. */
    public EncodeOptions options() {
        return options;
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The texts with their prompt, as tokenized. */
    List<String> inputs() {
        return inputs;
    }

    /** Each text's tokens, truncated to the model's maximum sequence length. */
    List<Tokens> tokens() {
        return tokens;
    }

    /** The tokens the prompt takes at the start of each text, which pooling may leave out. */
    int promptLength() {
        return promptLength;
    }
}
