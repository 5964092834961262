package dev.sentence4j;

import dev.sentence4j.model.SentenceTransformersConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How every model family picks the prompt a call prepends, and checks the texts it is given. */
final class Prompts {
    private Prompts() {}

    /**
     * The prompt text to prepend, or {@code null} for none, as sentence-transformers picks it: the
     * caller's text, else the model's prompt of the caller's name, else the model's default prompt. An
     * empty prompt still counts.
     *
     * @throws IllegalArgumentException if the model has no prompt of that name
     */
    static String choose(SentenceTransformersConfig config, String text, String name) {
        return text != null ? text : config.prompt(name).orElse(null);
    }

    /**
     * The first of the names the model has a prompt of: how {@code encodeQuery} ({@code query}) and
     * {@code encodeDocument} ({@code document}, {@code passage}, {@code corpus}) pick theirs.
     */
    static Optional<String> firstNamed(SentenceTransformersConfig config, String... names) {
        return Arrays.stream(names).filter(config.prompts()::containsKey).findFirst();
    }

    /** The texts with the prompt before each, or the texts themselves for no prompt. */
    static List<String> prepend(String prompt, List<String> texts) {
        return prompt == null ? texts : texts.stream().map(text -> prompt + text).toList();
    }

    /**
     * Checks that no text is null before a prompt is prepended to it (which would make it "null").
     *
     * @param what how messages name one text ({@code text}, {@code document})
     * @throws NullPointerException naming the index of the first null text
     */
    static void requireNoNulls(List<String> texts, String what) {
        for (int i = 0; i < texts.size(); i++) {
            int index = i;
            Objects.requireNonNull(texts.get(i), () -> what + " " + index + " is null");
        }
    }
}
