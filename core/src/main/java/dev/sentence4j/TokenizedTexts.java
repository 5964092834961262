package dev.sentence4j;

import dev.sentence4j.tokenize.ChatTemplate;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Inputs made ready for a model by its {@code tokenize}: texts by {@link SentenceTransformer#tokenize}
 * and {@link SparseEncoder#tokenize}, pairs by {@link CrossEncoder#tokenize}. Each has the prompt the
 * options call for and is tokenized once, so that its token count is known before anything runs (a
 * server refuses an input too long for the model, or counts a batch's tokens, without tokenizing it
 * twice). Run them with the same model, alone or {@linkplain #join joined} with others tokenized for
 * the same options. Immutable.
 *
 * @param <T> an input: a text ({@code String}) or a {@link TextPair}
 */
public final class TokenizedTexts<T> {
    /** The fewest texts worth handing to another thread: a thread hop costs about what tokenizing one text does. */
    private static final int TEXTS_PER_SLICE = 32;

    private final Tokenizer tokenizer;
    private final List<T> texts;
    private final List<Tokens> tokens;
    private final String prompt;
    private final int promptLength;
    private final Object options;

    private TokenizedTexts(Tokenizer tokenizer, List<T> texts, List<Tokens> tokens, String prompt, int promptLength,
            Object options) {
        this.tokenizer = tokenizer;
        this.texts = texts;
        this.tokens = tokens;
        this.prompt = prompt;
        this.promptLength = promptLength;
        this.options = options;
    }

    /**
     * Texts with the prompt before each, tokenized; a call of many texts is tokenized in slices on the
     * model's workers.
     *
     * @param prompt the prompt, or {@code null} for none
     * @param options what the texts will be run with
     * @throws NullPointerException naming the index of a null text
     */
    static TokenizedTexts<String> ofTexts(Tokenizer tokenizer, List<String> texts, String prompt, Object options,
            Workers workers) {
        Prompts.requireNoNulls(texts, "text");
        List<String> given = List.copyOf(texts);
        int promptLength = prompt == null ? 0 : tokenizer.promptLength(prompt);
        return new TokenizedTexts<>(tokenizer, given, tokenize(tokenizer, Prompts.prepend(prompt, given), workers), prompt,
                promptLength, options);
    }

    /**
     * The texts' tokens in order, tokenized in one slice per worker where each slice gets at least
     * {@link #TEXTS_PER_SLICE} texts, else on the caller's thread. For a model as fast as a token table,
     * tokenizing is most of the work.
     */
    private static List<Tokens> tokenize(Tokenizer tokenizer, List<String> texts, Workers workers) {
        int slices = Math.min(workers.count(), texts.size() / TEXTS_PER_SLICE);
        if (slices <= 1) {
            return tokenizer.tokenize(texts);
        }
        List<Callable<List<Tokens>>> tasks = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            List<String> slice = texts.subList(texts.size() * s / slices, texts.size() * (s + 1) / slices);
            tasks.add(() -> tokenizer.tokenize(slice));
        }
        List<Tokens> tokens = new ArrayList<>(texts.size());
        workers.run(tasks).forEach(tokens::addAll);
        return tokens;
    }

    /**
     * Pairs tokenized as one input each, as the tokenizer pairs them; as sentence-transformers, the
     * prompt goes before the first text only.
     *
     * @throws NullPointerException naming the index of a null pair or text
     */
    static TokenizedTexts<TextPair> ofPairs(Tokenizer tokenizer, List<TextPair> pairs, String prompt, Object options) {
        List<String> firsts = new ArrayList<>(pairs.size());
        List<String> seconds = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            TextPair pair = pairs.get(i);
            if (pair == null || pair.first() == null || pair.second() == null) {
                throw new NullPointerException("pair " + i + (pair == null ? " is null" : pair.first() == null
                        ? " has a null first text" : " has a null second text"));
            }
            firsts.add(pair.first());
            seconds.add(pair.second());
        }
        return new TokenizedTexts<>(tokenizer, List.copyOf(pairs),
                tokenizer.tokenizePairs(Prompts.prepend(prompt, firsts), seconds), prompt, 0, options);
    }

    /**
     * Pairs rendered through an LLM reranker's chat template (the prompt a system message) and
     * tokenized as transformers tokenizes a chat, without added special tokens. A render longer than the
     * model is cut on the right, then the template's fixed ending (the assistant turn the model answers
     * after) is written back over its last tokens, as sentence-transformers restores it, so the model
     * still reads the end of the prompt it was trained on.
     *
     * @throws NullPointerException naming the index of a null pair or text
     * @throws IllegalArgumentException naming the template when it cannot be applied
     */
    static TokenizedTexts<TextPair> ofChatPairs(Tokenizer tokenizer, ChatTemplate template, List<TextPair> pairs, String prompt,
            Object options) {
        int max = tokenizer.settings().maxSeqLength();
        long[] suffix = null;
        List<Tokens> tokens = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            TextPair pair = requirePair(pairs.get(i), i);
            long[] ids = tokenizer.idsAsRendered(template.renderPair(prompt, pair.first(), pair.second()));
            long[] kept = ids;
            if (ids.length > max) {
                suffix = suffix == null ? templateSuffix(tokenizer, template, prompt) : suffix;
                kept = java.util.Arrays.copyOf(ids, max);
                int restored = Math.min(suffix.length, max);
                System.arraycopy(suffix, suffix.length - restored, kept, max - restored, restored);
            }
            tokens.add(new Tokens(kept, new long[kept.length], ids.length));
        }
        return new TokenizedTexts<>(tokenizer, List.copyOf(pairs), tokens, prompt, 0, options);
    }

    /**
     * The tokens a template puts after the pair's content: the longest common ending of two renders
     * whose texts differ ("0" and "1 2 3 4"), none when the renders never differ.
     */
    private static long[] templateSuffix(Tokenizer tokenizer, ChatTemplate template, String prompt) {
        long[] first = tokenizer.idsAsRendered(template.renderPair(prompt, "0", "0"));
        long[] second = tokenizer.idsAsRendered(template.renderPair(prompt, "1 2 3 4", "1 2 3 4"));
        int count = 0;
        while (count < Math.min(first.length, second.length)
                && first[first.length - 1 - count] == second[second.length - 1 - count]) {
            count++;
        }
        return count > 0 && count < Math.min(first.length, second.length)
                ? java.util.Arrays.copyOfRange(first, first.length - count, first.length) : new long[0];
    }

    private static TextPair requirePair(TextPair pair, int i) {
        if (pair == null || pair.first() == null || pair.second() == null) {
            throw new NullPointerException("pair " + i + (pair == null ? " is null" : pair.first() == null
                    ? " has a null first text" : " has a null second text"));
        }
        return pair;
    }

    /**
     * These inputs followed by others as one call, for the inputs of several requests run together.
     *
     * @throws IllegalArgumentException if they were tokenized by other models or for other options
     */
    public static <T> TokenizedTexts<T> join(List<TokenizedTexts<T>> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        TokenizedTexts<T> first = parts.get(0);
        List<T> texts = new ArrayList<>();
        List<Tokens> tokens = new ArrayList<>();
        for (TokenizedTexts<T> part : parts) {
            if (part.tokenizer != first.tokenizer || !part.options.equals(first.options)) {
                throw new IllegalArgumentException("only inputs tokenized by one model with the same options can be joined");
            }
            texts.addAll(part.texts);
            tokens.addAll(part.tokens);
        }
        return new TokenizedTexts<>(first.tokenizer, List.copyOf(texts), List.copyOf(tokens), first.prompt,
                first.promptLength, first.options);
    }

    /** How many inputs there are. */
    public int size() {
        return texts.size();
    }

    /** The inputs as given, without their prompt. */
    public List<T> texts() {
        return texts;
    }

    /** The tokens the whole input makes, special tokens and prompt included, before any truncation. */
    public int tokenCount(int index) {
        return tokens.get(index).untruncatedLength();
    }

    /**
     * The options these inputs were tokenized for, once checked that the tokenizer the model runs for
     * them tokenized them.
     *
     * @param tokenizerOf the tokenizer the model runs for inputs with these options
     * @param model the model's name, for the message
     * @throws IllegalArgumentException if another model tokenized them
     */
    <O> O options(Class<O> type, Function<O, Tokenizer> tokenizerOf, String model) {
        if (!type.isInstance(options) || tokenizerOf.apply(type.cast(options)) != tokenizer) {
            throw new IllegalArgumentException("these inputs were tokenized by another model than " + model);
        }
        return type.cast(options);
    }

    /**
     * Refuses the first input longer than the model takes, as {@link LongInputs#ERROR} asks.
     *
     * @param what how messages name one input ({@code text}, {@code pair})
     */
    void requireNoneTruncated(String what) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).truncated()) {
                throw new TextTooLongException(what, i, tokens.get(i).untruncatedLength(), tokenizer.settings().maxSeqLength());
            }
        }
    }

    /** The tokenizer that tokenized them. */
    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Each input's tokens, truncated to the model's maximum sequence length. */
    List<Tokens> tokens() {
        return tokens;
    }

    /** The prompt before each text, or {@code null}. */
    String prompt() {
        return prompt;
    }

    /** The tokens the prompt takes at the start of each text, which pooling may leave out. */
    int promptLength() {
        return promptLength;
    }
}
