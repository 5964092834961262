package dev.sentence4j.tokenize;

/** Chat templates the tests render. */
public final class ChatTemplateTestTemplates {
    private ChatTemplateTestTemplates() {}

    /** Qwen3-Reranker's template as sentence-transformers' converted rerankers carry it. */
    public static final String QWEN3_RERANKER = "<|im_start|>system\nJudge whether the Document meets the requirements based on "
            + "the Query and the Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n"
            + "<|im_start|>user\n<Instruct>: {{ messages | selectattr(\"role\", \"eq\", \"system\") | map(attribute=\"content\") "
            + "| first | default(\"Given a web search query, retrieve relevant passages that answer the query\") }}\n"
            + "<Query>: {{ messages | selectattr(\"role\", \"eq\", \"query\") | map(attribute=\"content\") | first }}\n"
            + "<Document>: {{ messages | selectattr(\"role\", \"eq\", \"document\") | map(attribute=\"content\") | first }}"
            + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n\n";
}
