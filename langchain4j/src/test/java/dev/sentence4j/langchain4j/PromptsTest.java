package dev.sentence4j.langchain4j;

import static dev.sentence4j.langchain4j.Sentence4jEmbeddingModelTest.assertClose;
import static dev.sentence4j.langchain4j.Sentence4jEmbeddingModelTest.segments;
import static dev.sentence4j.langchain4j.Sentence4jEmbeddingModelTest.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.ModelFolders;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.tokenize.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query and document prompts on the real all-MiniLM-L6-v2 given two prompts in its
 * {@code config_sentence_transformers.json}; its pooling includes the prompt, so a prompted text
 * encodes as the prompt and text written out together.
 */
class PromptsTest {
    @TempDir
    static Path temp;

    private static final List<String> TEXTS = Shared.referenceTexts("seed-sentences");

    private static SentenceTransformer model;

    @BeforeAll
    static void load() throws IOException {
        Path folder = ModelFolders.miniLm(temp, "prompted");
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"default_prompt_name\": null}");
        model = SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(null));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void queriesAndDocumentsGetTheModelsPromptsAndCountTheirTokens() {
        Sentence4jEmbeddingModel adapter = Sentence4jEmbeddingModel.builder().model(model).build();

        EmbeddingResponse queries = adapter.embed(request(EmbeddingInputType.QUERY));
        EmbeddingResponse documents = adapter.embed(request(EmbeddingInputType.DOCUMENT));
        EmbeddingResponse plain = adapter.embed(request(null));

        assertClose(vectors(queries.embeddings()), written("query: "));
        assertClose(vectors(documents.embeddings()), written("passage: "));
        assertClose(vectors(plain.embeddings()), model.encode(TEXTS));
        assertThat(queries.tokenUsage().inputTokenCount()).isEqualTo(tokens("query: "));
        assertThat(documents.tokenUsage().inputTokenCount()).isEqualTo(tokens("passage: "));
        assertThat(plain.tokenUsage().inputTokenCount()).isEqualTo(tokens(""));
        // "query" and ":" are two tokens more per text.
        assertThat(tokens("query: ")).isEqualTo(tokens("") + 2 * TEXTS.size());
    }

    @Test
    void theBuildersInputTypeAppliesToEmbedAll() {
        Sentence4jEmbeddingModel queries = Sentence4jEmbeddingModel.builder().model(model)
                .inputType(EmbeddingInputType.QUERY).build();

        assertClose(vectors(queries.embedAll(segments(TEXTS)).content()), written("query: "));
    }

    @Test
    void promptsCanBeChosenByNameOrGivenAsText() {
        Sentence4jEmbeddingModel chosen = Sentence4jEmbeddingModel.builder().model(model)
                .queryPromptName("passage").documentPrompt("title: none | text: ").promptName("query").build();

        assertClose(vectors(chosen.embed(request(EmbeddingInputType.QUERY)).embeddings()), written("passage: "));
        assertClose(vectors(chosen.embed(request(EmbeddingInputType.DOCUMENT)).embeddings()), written("title: none | text: "));
        assertClose(vectors(chosen.embedAll(segments(TEXTS)).content()), written("query: "));
    }

    /** sentence-transformers' order for a document's prompt: {@code document}, then {@code passage}, then {@code corpus}. */
    @Test
    void aDocumentTakesTheDocumentThenPassageThenCorpusPrompt() throws IOException {
        List<String> some = TEXTS.subList(0, 3);
        List<String> prompts = List.of("\"document\": \"d: \", ", "\"passage\": \"p: \", ", "\"corpus\": \"c: \"");
        for (int first = 0; first < prompts.size(); first++) {
            Path folder = ModelFolders.miniLm(temp, "documents-" + first);
            Files.writeString(folder.resolve("config_sentence_transformers.json"), "{\"prompts\": {\"query\": \"q: \", "
                    + String.join("", prompts.subList(first, prompts.size())) + "}}");
            String expected = List.of("d: ", "p: ", "c: ").get(first);
            try (SentenceTransformer documents = SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(null))) {
                Sentence4jEmbeddingModel adapter = Sentence4jEmbeddingModel.builder().model(documents).build();
                EmbeddingResponse response = adapter.embed(EmbeddingRequest.builder().inputs(some.toArray(String[]::new))
                        .inputType(EmbeddingInputType.DOCUMENT).build());

                assertClose(vectors(response.embeddings()), documents.encode(some.stream().map(t -> expected + t).toList()));
            }
        }
    }

    /** A model whose config names a default prompt: inputs without an input type take it, documents their own. */
    @Test
    void inputsWithoutAnInputTypeTakeTheModelsDefaultPrompt() throws IOException {
        Path folder = ModelFolders.miniLm(temp, "default-prompt");
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"default_prompt_name\": \"query\"}");
        try (SentenceTransformer prompted = SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(null))) {
            Sentence4jEmbeddingModel adapter = Sentence4jEmbeddingModel.builder().model(prompted).build();

            assertClose(vectors(adapter.embedAll(segments(TEXTS)).content()), written("query: "));
            assertClose(vectors(adapter.embed(request(EmbeddingInputType.DOCUMENT)).embeddings()), written("passage: "));
            assertThat(adapter.embedAll(segments(TEXTS)).tokenUsage().inputTokenCount()).isEqualTo(tokens("query: "));
        }
    }

    @Test
    void aPromptNameTheModelLacksIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Sentence4jEmbeddingModel.builder().model(model).documentPromptName("document").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no prompt named 'document'")
                .hasMessageContaining("query")
                .hasMessageContaining("passage");
    }

    private static EmbeddingRequest request(EmbeddingInputType type) {
        return EmbeddingRequest.builder().inputs(TEXTS.toArray(String[]::new)).inputType(type).build();
    }

    /** The texts with the prompt written in front, encoded with no prompt. */
    private static float[][] written(String prompt) {
        return model.encode(TEXTS.stream().map(t -> prompt + t).toList(), EncodeOptions.defaults());
    }

    private static int tokens(String prompt) {
        return model.tokenizer().tokenize(TEXTS.stream().map(t -> prompt + t).toList()).stream().mapToInt(Tokens::length).sum();
    }
}
