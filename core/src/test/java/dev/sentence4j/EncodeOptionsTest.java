package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Options that contradict each other are refused, and tokenized texts encode as the texts themselves do. */
class EncodeOptionsTest {
    private final SentenceTransformer model = TestModels.get(Shared.MINILM);

    @Test
    void aPromptAndAPromptNameAreRefusedTogetherNamingBoth() {
        assertThatThrownBy(() -> EncodeOptions.defaults().withPromptName("query").withPrompt("query: "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a prompt ('query: ') and a prompt name ('query') contradict each other: give one");
        assertThatThrownBy(() -> EncodeOptions.defaults().withPrompt("query: ").withPromptName("query"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(EncodeOptions.defaults().withPrompt("query: ").withPrompt(null).withPromptName("query").promptName())
                .isEqualTo("query");
        assertThat(EncodeOptions.defaults().withBatchSize(8)).isEqualTo(EncodeOptions.defaults().withBatchSize(8))
                .hasSameHashCodeAs(EncodeOptions.defaults().withBatchSize(8)).isNotEqualTo(EncodeOptions.defaults());
    }

    @Test
    void tokenizedTextsKnowTheirTokensAndEncodeAsTheTextsDo() {
        List<String> first = List.of("A man is playing a guitar.", "query: how old is the Earth?");
        List<String> second = List.of("Someone plays guitar.");
        EncodeOptions options = EncodeOptions.defaults().withPrompt("passage: ");

        TokenizedTexts<String> a = model.tokenize(first, options);
        TokenizedTexts<String> joined = TokenizedTexts.join(List.of(a, model.tokenize(second, options)));
        EncodeResult direct = model.encodeWithDetails(List.of(first.get(0), first.get(1), second.get(0)), options);

        assertThat(a.texts()).isEqualTo(first);
        assertThat(a.tokenCount(0)).isEqualTo(direct.tokenCounts()[0])
                .isEqualTo(model.tokenizer().tokens("passage: " + first.get(0)).size());
        EncodeResult encoded = model.encodeWithDetails(joined);
        assertThat(encoded.tokenCounts()).isEqualTo(direct.tokenCounts());
        for (int i = 0; i < 3; i++) {
            assertThat(encoded.vectors()[i]).containsExactly(direct.vectors()[i], within(1e-6f));
        }
        assertThatThrownBy(() -> TokenizedTexts.join(List.of(a, model.tokenize(second, EncodeOptions.defaults()))))
                .hasMessage("only inputs tokenized by one model with the same options can be joined");
        assertThat(model.config().prompt(null)).isEmpty();
        assertThatThrownBy(() -> model.tokenize(first, EncodeOptions.defaults().withPromptName("query")))
                .hasMessage("the model has no prompt named 'query' (it has [])");
    }
}
