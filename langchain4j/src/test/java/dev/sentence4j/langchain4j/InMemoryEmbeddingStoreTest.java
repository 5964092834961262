package dev.sentence4j.langchain4j;

import static dev.sentence4j.langchain4j.Sentence4jEmbeddingModelTest.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.sentence4j.Shared;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Semantic search end to end in LangChain4j's own store, the adapter loading the built-in model by id. */
class InMemoryEmbeddingStoreTest {

    @Test
    void theWalkthroughQueryFindsItsParaphraseFirstWithTheReferenceScores() {
        List<String> sentences = Shared.referenceTexts("seed-sentences");
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        Sentence4jEmbeddingModel owned = Sentence4jEmbeddingModel.builder().model(Shared.MINILM).build();
        try (owned) {
            EmbeddingModel model = owned;
            List<TextSegment> documents = segments(sentences.subList(1, sentences.size()));
            store.addAll(model.embedAll(documents).content(), documents);

            Embedding query = model.embed(sentences.get(0)).content();
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(query).maxResults(5).build()).matches();

            // Cosines from shared/reference/README.md; the store reports (1 + cosine) / 2.
            assertThat(matches).extracting(m -> m.embedded().text()).containsExactly(
                    sentences.get(2), sentences.get(4), sentences.get(5), sentences.get(1), sentences.get(3));
            assertThat(matches).extracting(EmbeddingMatch::score).satisfiesExactly(
                    s -> assertThat(s).isCloseTo((1 + 0.476377) / 2, within(1e-5)),
                    s -> assertThat(s).isCloseTo((1 + 0.340702) / 2, within(1e-5)),
                    s -> assertThat(s).isCloseTo((1 + 0.227431) / 2, within(1e-5)),
                    s -> assertThat(s).isCloseTo((1 + 0.220594) / 2, within(1e-5)),
                    s -> assertThat(s).isCloseTo((1 + 0.054843) / 2, within(1e-5)));
        }
        assertThatThrownBy(() -> owned.embed("after close"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
