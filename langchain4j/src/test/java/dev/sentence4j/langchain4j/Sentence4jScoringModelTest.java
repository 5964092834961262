package dev.sentence4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.aggregator.ContentAggregator;
import dev.langchain4j.rag.content.aggregator.ReRankingContentAggregator;
import dev.langchain4j.rag.query.Query;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.CrossEncoderReference;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.Shared;
import dev.sentence4j.TextPair;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.tokenize.Tokens;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter through LangChain4j's own interfaces, on the cross-encoder of {@code shared/fixtures/st6}
 * saved by the real sentence-transformers 6.0.1, against what its {@code CrossEncoder.predict} returned.
 */
class Sentence4jScoringModelTest {
    private static final double TOLERANCE = 1e-5;

    private static CrossEncoder crossEncoder;
    private static ScoringModel adapter;
    private static List<TextPair> pairs;
    private static float[] scores;
    /** The reference pairs LangChain4j can take (a query and a segment, neither blank), by query. */
    private static Map<String, List<Integer>> byQuery;

    @BeforeAll
    static void load() throws IOException {
        crossEncoder = CrossEncoder.load(CrossEncoderReference.folder().toString());
        adapter = Sentence4jScoringModel.builder().model(crossEncoder).build();
        pairs = CrossEncoderReference.pairs();
        scores = CrossEncoderReference.scores(pairs.size());
        byQuery = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (!pairs.get(i).first().isBlank() && !pairs.get(i).second().isBlank()) {
                byQuery.computeIfAbsent(pairs.get(i).first(), query -> new ArrayList<>()).add(i);
            }
        }
    }

    @AfterAll
    static void close() {
        crossEncoder.close();
    }

    /** Python's default: the model's Sigmoid of its logit, each query with its own segments. */
    @Test
    void scoreAllGivesTheLibrarysScoresAndThoseOfPredict() {
        assertThat(byQuery.values().stream().mapToInt(List::size).sum()).as("the pairs LangChain4j can take").isEqualTo(15);
        for (Map.Entry<String, List<Integer>> query : byQuery.entrySet()) {
            List<Integer> indices = query.getValue();

            List<Double> scored = adapter.scoreAll(segments(indices), query.getKey()).content();

            float[] predicted = crossEncoder.predict(indices.stream().map(pairs::get).toList());
            assertThat(scored).hasSize(indices.size());
            for (int j = 0; j < indices.size(); j++) {
                assertThat(scored.get(j)).as("pair %d", indices.get(j))
                        .isEqualTo((double) predicted[j])
                        .isCloseTo(scores[indices.get(j)], within(TOLERANCE))
                        .isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void rawLogitsWhenTheOptionsAskForThem() throws IOException {
        float[] logits = CrossEncoderReference.logits(pairs.size());
        ScoringModel raw = Sentence4jScoringModel.builder().model(crossEncoder)
                .options(PredictOptions.defaults().withApplyActivation(false)).build();
        String query = pairs.get(0).first();
        List<Integer> indices = byQuery.get(query);

        List<Double> scored = raw.scoreAll(segments(indices), query).content();

        for (int j = 0; j < indices.size(); j++) {
            assertThat(scored.get(j)).isCloseTo(logits[indices.get(j)], within(TOLERANCE));
        }
        assertThat(scored).anyMatch(logit -> logit < 0);
    }

    /** Special tokens included; pair 5, whose query is over 2,000 characters, counted as cut to the model's 64 tokens. */
    @Test
    void tokenUsageCountsEachPairAsTheTokenizerCutsIt() {
        for (Map.Entry<String, List<Integer>> query : byQuery.entrySet()) {
            List<String> documents = query.getValue().stream().map(i -> pairs.get(i).second()).toList();
            List<Tokens> tokens = crossEncoder.tokenizer().tokenizePairs(documents.stream().map(d -> query.getKey()).toList(), documents);

            Response<List<Double>> response = adapter.scoreAll(segments(query.getValue()), query.getKey());

            int kept = tokens.stream().mapToInt(Tokens::length).sum();
            assertThat(response.tokenUsage().inputTokenCount()).as(query.getKey()).isEqualTo(kept);
            assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(kept);
        }
        TextPair longPair = pairs.get(5);
        Response<Double> cut = adapter.score(longPair.second(), longPair.first());
        assertThat(cut.tokenUsage().inputTokenCount()).isEqualTo(64);
        assertThat(cut.content()).isCloseTo(scores[5], within(TOLERANCE));
    }

    @Test
    void scoresFollowTheSegmentsOrder() {
        String query = pairs.get(0).first();
        List<Integer> indices = new ArrayList<>(byQuery.get(query));
        List<Double> forward = adapter.scoreAll(segments(indices), query).content();
        List<Integer> reversed = new ArrayList<>(indices);
        Collections.reverse(reversed);

        List<Double> backward = adapter.scoreAll(segments(reversed), query).content();

        for (int j = 0; j < reversed.size(); j++) {
            assertThat(backward.get(j)).isCloseTo(scores[reversed.get(j)], within(TOLERANCE))
                    .isCloseTo(forward.get(indices.size() - 1 - j), within(1e-6));
        }
        assertThat(adapter.score(TextSegment.from(pairs.get(2).second()), query).content())
                .isCloseTo(scores[2], within(TOLERANCE));
    }

    /** LangChain4j's RAG reranking step, driven by the adapter: best first, cut at maxResults, the score kept. */
    @Test
    void reRankingContentAggregatorOrdersContentsByTheCrossEncodersScore() {
        String query = pairs.get(0).first();
        List<Integer> indices = byQuery.get(query);
        ContentAggregator aggregator = ReRankingContentAggregator.builder().scoringModel(adapter).maxResults(3).build();
        List<Content> retrieved = indices.stream().map(i -> Content.from(pairs.get(i).second())).toList();
        Map<Query, Collection<List<Content>>> byRetriever = Map.of(Query.from(query), List.of(retrieved));

        List<Content> reranked = aggregator.aggregate(byRetriever);

        List<Integer> best = indices.stream().sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed()).limit(3).toList();
        assertThat(reranked).extracting(content -> content.textSegment().text())
                .containsExactlyElementsOf(best.stream().map(i -> pairs.get(i).second()).toList());
        for (int r = 0; r < best.size(); r++) {
            assertThat((Double) reranked.get(r).metadata().get(ContentMetadata.RERANKED_SCORE))
                    .isCloseTo(scores[best.get(r)], within(TOLERANCE));
        }
    }

    @Test
    void noSegmentsGiveNoScores() {
        Response<List<Double>> response = adapter.scoreAll(List.of(), "a query");

        assertThat(response.content()).isEmpty();
        assertThat(response.tokenUsage().inputTokenCount()).isZero();
    }

    @Test
    void aNullOrBlankQueryOrANullSegmentIsRefusedNamingIt() {
        List<TextSegment> segments = List.of(TextSegment.from("a document"));
        assertThatThrownBy(() -> adapter.scoreAll(segments, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query must be a text to score the segments against, got null");
        assertThatThrownBy(() -> adapter.scoreAll(segments, " \t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query must be a text to score the segments against, got ' \t'");
        assertThatThrownBy(() -> adapter.scoreAll(Arrays.asList(TextSegment.from("a"), null), "a query"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("segment 1 is null");
    }

    @Test
    void aFolderOfAnotherFamilyIsRefusedNamingTheFolderAndWhatItIs() {
        String embeddingModel = Shared.path("fixtures/st6/models/seed-bert-mean").toString();

        assertThatThrownBy(() -> Sentence4jScoringModel.builder().model(embeddingModel).build())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("seed-bert-mean")
                .hasMessageContaining("this is a SentenceTransformer model; load it with SentenceTransformer, not CrossEncoder");
    }

    @Test
    void aPromptNameTheModelLacksIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Sentence4jScoringModel.builder().model(crossEncoder)
                .options(PredictOptions.defaults().withPromptName("query")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model has no prompt named 'query' (it has [])");
    }

    /** Built from a folder the adapter owns the model and closes it; a model passed in stays open. */
    @Test
    void closesOnlyTheModelItLoaded() {
        Sentence4jScoringModel owning = Sentence4jScoringModel.builder().model(CrossEncoderReference.folder().toString()).build();
        TextPair pair = pairs.get(3);
        assertThat(owning.score(pair.second(), pair.first()).content()).isCloseTo(scores[3], within(TOLERANCE));

        owning.close();
        Sentence4jScoringModel.builder().model(crossEncoder).build().close();

        assertThatThrownBy(() -> owning.score(pair.second(), pair.first()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThat(crossEncoder.predict(pair)).isCloseTo(scores[3], within(1e-5f));
        assertThatThrownBy(() -> Sentence4jScoringModel.builder().model(crossEncoder).threads(2).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("loaded already");
    }

    private static List<TextSegment> segments(List<Integer> indices) {
        return indices.stream().map(i -> TextSegment.from(pairs.get(i).second())).toList();
    }
}
