package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.RankedText;
import java.util.List;

/** A rerank reply checked against the model's own {@code rank}: TEI's list of ranks, or Cohere's results. */
final class Ranks {
    private Ranks() {}

    /**
     * Asserts that the reply lists the expected texts, in order, each with its expected score within the
     * tolerance; {@code scoreField} is the score's name in the route's reply ({@code score} in TEI's,
     * {@code relevance_score} in Cohere's).
     */
    static void assertRanks(JsonNode ranks, String scoreField, List<RankedText> expected, float tolerance) {
        assertThat(ranks).hasSize(expected.size());
        for (int r = 0; r < expected.size(); r++) {
            assertThat(ranks.get(r).get("index").asInt()).as("index at rank %d", r).isEqualTo(expected.get(r).index());
            assertThat(ranks.get(r).get(scoreField).floatValue()).as("score at rank %d", r)
                    .isCloseTo(expected.get(r).score(), within(tolerance));
        }
    }
}
