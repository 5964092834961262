package dev.sentence4j.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat templates render pairs as transformers renders the messages sentence-transformers makes of them. */
class ChatTemplateTest {
    static final String QWEN3_RERANKER = ChatTemplateTestTemplates.QWEN3_RERANKER;

    @Test
    void aRerankerTemplatePutsThePairAndThePromptInPlace() {
        ChatTemplate template = new ChatTemplate(QWEN3_RERANKER, "chat_template.jinja", true, Map.of());
        template.requirePairRoles();
        assertThat(template.renderPair(null, "what is {{ x }}?", "a doc")).isEqualTo(
                "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct "
                        + "provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n"
                        + "<Instruct>: Given a web search query, retrieve relevant passages that answer the query\n"
                        + "<Query>: what is {{ x }}?\n<Document>: a doc<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n\n");
        assertThat(template.renderPair("Find code", "q", "d")).contains("<Instruct>: Find code\n<Query>: q\n<Document>: d<|im_end|>");
    }

    @Test
    void blocksAreTrimmedAsTransformersRendersThem() {
        String blocks = "{% for message in messages %}\n    {% if message.role == 'query' %}\n<Q>{{ message.content }}</Q>\n"
                + "    {% else %}\n<D>{{ message.content }}</D>\n    {% endif %}\n{% endfor %}\n"
                + "{% if add_generation_prompt %}\n<A>\n{% endif %}\n";
        ChatTemplate template = new ChatTemplate(blocks, "tokenizer_config.json", true, Map.of("add_generation_prompt", true));
        assertThat(template.renderPair(null, "q", "d"))
                .isEqualTo("<Q>q</Q>\n<D>d</D>\n<A>\n");
    }

    @Test
    void structuredContentIsAListOfTypedParts() {
        ChatTemplate template = new ChatTemplate("{% for m in messages %}[{{ m.role }}:{{ m.content[0].text }}]{% endfor %}",
                "t", false, Map.of());
        assertThat(template.renderPair("p", "q", "d")).isEqualTo("[system:p][query:q][document:d]");
    }

    @Test
    void aTemplateThatCannotCarryAPairIsRefusedNamingTheRoles() {
        String userOnly = "{% for m in messages %}{% if m.role == 'user' %}{{ m.content }}{% endif %}{% endfor %}";
        assertThatThrownBy(() -> new ChatTemplate(userOnly, "chat_template.jinja", true, Map.of()).requirePairRoles())
                .hasMessageContaining("chat_template.jinja").hasMessageContaining("'query' and 'document' content does not reach");
    }

    @Test
    void aTemplateThatFailsNamesItsError() {
        assertThatThrownBy(() -> new ChatTemplate("{{ raise_exception('only user and assistant roles are supported') }}",
                "chat_template.jinja", true, Map.of()).renderPair(null, "q", "d"))
                .hasMessageContaining("chat_template.jinja").hasMessageContaining("only user and assistant roles are supported");
        assertThatThrownBy(() -> new ChatTemplate("{{ messages[0].content.startswith('x') }}", "chat_template.jinja", true,
                Map.of()).renderPair(null, "q", "d"))
                .hasMessageContaining("chat_template.jinja: the chat template cannot be applied").hasMessageContaining("startswith");
        assertThat(List.of()).isEmpty();
    }
}
