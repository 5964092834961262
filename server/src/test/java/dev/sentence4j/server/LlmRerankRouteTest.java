package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LlmRerankerFolders;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TEI's {@code /rerank} and {@code /v1/rerank} served by an LLM reranker (Transformer for text
 * generation, LogitScore) in sentence-transformers 6's layout, the folder core's {@code LlmRerankerTest}
 * checks against a float64 forward of the templated pair: each reply gives the scores the model's own
 * {@code rank} and {@code predict} give.
 */
class LlmRerankRouteTest {
    private static final String QUERY = "what is the capital of france";
    private static final List<String> TEXTS = List.of("paris is the capital", "the cat sleeps on the mat all day long",
            "london is big", "france is a country in europe");
    private static final float TOLERANCE = 1e-5f;

    @RegisterExtension
    static final FolderServer<CrossEncoder> SERVER = new FolderServer<>(
            temp -> CrossEncoder.load(LlmRerankerFolders.write(temp.resolve("llm-reranker")).toString()),
            options -> options.withMaxClientBatchSize(10));

    private final CrossEncoder model = SERVER.model();
    private final Http http = SERVER.http();

    private static Map<String, Object> request(Object... fields) {
        return Http.body(Map.of("query", QUERY, "texts", TEXTS), fields);
    }

    @Test
    void teiRerankGivesTheModelsRankAndSigmoidScores() {
        Http.Reply reply = http.post("/rerank", request("return_text", true));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        Ranks.assertRanks(reply.json(), "score", model.rank(QUERY, TEXTS, TEXTS.size()), TOLERANCE);
        for (JsonNode rank : reply.json()) {
            assertThat(rank.get("score").floatValue()).isBetween(0f, 1f);
            assertThat(rank.get("text").asText()).isEqualTo(TEXTS.get(rank.get("index").asInt()));
        }
    }

    @Test
    void rawScoresAreLogitOfYesMinusLogitOfNo() {
        Http.Reply reply = http.post("/rerank", request("raw_scores", true));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        float[] logits = model.predict(TEXTS.stream().map(text -> new TextPair(QUERY, text)).toList(),
                PredictOptions.defaults().withApplyActivation(false));
        for (JsonNode rank : reply.json()) {
            assertThat(rank.get("score").floatValue()).isCloseTo(logits[rank.get("index").asInt()], within(TOLERANCE));
        }
        assertThat(reply.json()).anyMatch(rank -> rank.get("score").floatValue() < 0 || rank.get("score").floatValue() > 1);
    }

    /** The rendered prompt counts against the model's length; truncation keeps the template's ending, as predict does. */
    @Test
    void aPairLongerThanTheModelIsRefusedUnlessAskedToTruncate() {
        String paragraph = "word ".repeat(400);
        Http.Reply refused = http.post("/rerank", request("texts", List.of("short", paragraph)));
        Http.Reply truncated = http.post("/rerank", request("texts", List.of("short", paragraph), "truncate", true));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("error").asText()).startsWith("texts[1] with the query has ")
                .contains("more than the 256 the model takes");
        assertThat(truncated.status()).as(truncated.body()).isEqualTo(200);
        Ranks.assertRanks(truncated.json(), "score", model.rank(QUERY, List.of("short", paragraph), 2), TOLERANCE);
    }

    @Test
    void cohereRerankGivesTheBestTopN() {
        Http.Reply reply = http.post("/v1/rerank", Map.of("model", "llm-reranker", "query", QUERY, "documents", TEXTS,
                "top_n", 2, "return_documents", true));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        Ranks.assertRanks(results, "relevance_score", model.rank(QUERY, TEXTS, 2), TOLERANCE);
        for (JsonNode result : results) {
            assertThat(result.at("/document/text").asText()).isEqualTo(TEXTS.get(result.get("index").asInt()));
        }
        // the templated prompts are what the model reads: far more tokens than the texts alone
        assertThat(reply.json().at("/usage/total_tokens").asInt()).isGreaterThan(50 * TEXTS.size());
    }

    @Test
    void infoDescribesOneScoreAndTheModelsLength() {
        JsonNode info = http.get("/info").json();
        assertThat(info.get("max_input_length").asInt()).isEqualTo(256);
        assertThat(info.at("/model_type/reranker/id2label").size()).isEqualTo(1);
    }
}
