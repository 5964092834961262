package dev.sentence4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.aggregator.ReRankingContentAggregator;
import dev.langchain4j.rag.query.Query;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LlmRerankerFolders;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.RankedText;
import dev.sentence4j.TextPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter through LangChain4j's own interfaces on an LLM reranker (Transformer for text generation,
 * LogitScore) in sentence-transformers 6's layout, the folder core's {@code LlmRerankerTest} checks
 * against a float64 forward of the templated pair: the adapter gives what {@code predict} and
 * {@code rank} give.
 */
class LlmScoringModelTest {
    private static final String QUERY = "what is the capital of france";
    private static final List<String> TEXTS = List.of("paris is the capital", "the cat sleeps on the mat all day long",
            "london is big", "france is a country in europe");
    private static CrossEncoder crossEncoder;
    private static ScoringModel adapter;

    @BeforeAll
    static void load() throws IOException {
        Path folder = LlmRerankerFolders.write(Files.createTempDirectory("llm-scoring").resolve("llm-reranker"));
        crossEncoder = CrossEncoder.load(folder.toString());
        adapter = Sentence4jScoringModel.builder().model(crossEncoder).build();
    }

    @AfterAll
    static void close() {
        crossEncoder.close();
    }

    private static List<TextPair> pairs(List<String> texts) {
        return texts.stream().map(text -> new TextPair(QUERY, text)).toList();
    }

    private static List<TextSegment> segments(List<String> texts) {
        return texts.stream().map(TextSegment::from).toList();
    }

    @Test
    void scoreAllGivesPredictsSigmoidOfYesAgainstNo() {
        Response<List<Double>> response = adapter.scoreAll(segments(TEXTS), QUERY);

        float[] predicted = crossEncoder.predict(pairs(TEXTS));
        assertThat(response.content()).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(response.content().get(i)).as("segment %d", i).isEqualTo((double) predicted[i]).isBetween(0.0, 1.0);
        }
        // each pair is counted as the model read it: the rendered Qwen3-Reranker prompt, far longer than the texts
        assertThat(response.tokenUsage().inputTokenCount()).isGreaterThan(50 * TEXTS.size());
    }

    @Test
    void thePromptTheOptionsNameIsTheInstructionScored() {
        ScoringModel code = Sentence4jScoringModel.builder().model(crossEncoder)
                .options(PredictOptions.defaults().withPromptName("code").withApplyActivation(false)).build();

        List<Double> scored = code.scoreAll(segments(TEXTS), QUERY).content();

        float[] expected = crossEncoder.predict(pairs(TEXTS), PredictOptions.defaults().withPromptName("code").withApplyActivation(false));
        float[] byDefault = crossEncoder.predict(pairs(TEXTS), PredictOptions.defaults().withApplyActivation(false));
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(scored.get(i)).isCloseTo(expected[i], within(1e-6));
        }
        assertThat(expected[0]).isNotCloseTo(byDefault[0], within(1e-4f));
    }

    @Test
    void aLongSegmentIsCountedAndScoredAsTheModelCutsIt() {
        String paragraph = "word ".repeat(400);

        Response<Double> cut = adapter.score(paragraph, QUERY);

        assertThat(cut.tokenUsage().inputTokenCount()).isEqualTo(256);
        assertThat(cut.content()).isCloseTo(crossEncoder.predict(new TextPair(QUERY, paragraph)), within(1e-6));
    }

    /** LangChain4j's RAG reranking step driven by the adapter: the LLM reranker's order, cut at maxResults. */
    @Test
    void reRankingContentAggregatorOrdersContentsAsRankDoes() {
        ReRankingContentAggregator aggregator = ReRankingContentAggregator.builder().scoringModel(adapter).maxResults(2).build();
        List<Content> retrieved = TEXTS.stream().map(Content::from).toList();

        List<Content> reranked = aggregator.aggregate(Map.of(Query.from(QUERY), List.of(retrieved)));

        List<RankedText> best = crossEncoder.rank(QUERY, TEXTS, 2);
        assertThat(reranked).extracting(content -> content.textSegment().text())
                .containsExactly(TEXTS.get(best.get(0).index()), TEXTS.get(best.get(1).index()));
        for (int r = 0; r < 2; r++) {
            assertThat((Double) reranked.get(r).metadata().get(ContentMetadata.RERANKED_SCORE))
                    .isCloseTo(best.get(r).score(), within(1e-6));
        }
    }
}
