package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.Shared;
import dev.sentence4j.TextPair;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TEI's {@code /rerank} served by the st6 cross-encoder fixture, each reply checked against the model used directly. */
class RerankRouteTest {
    private static final String QUERY = "A man is playing a guitar.";
    private static final List<String> TEXTS = Shared.lines("fixtures/st6/public.txt").subList(0, 6);

    @RegisterExtension
    static final FolderServer<CrossEncoder> SERVER = new FolderServer<>(
            temp -> CrossEncoder.load(Shared.path("fixtures/st6/models/cross-encoder-bert").toString()),
            options -> options.withMaxClientBatchSize(10));

    private final CrossEncoder model = SERVER.model();
    private final Http http = SERVER.http();

    private static Map<String, Object> request(Object... fields) {
        return Http.body(Map.of("query", QUERY, "texts", TEXTS), fields);
    }

    @Test
    void ranksAsTheModelRanksBestFirst() {
        Http.Reply reply = http.post("/rerank", request());

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        Ranks.assertRanks(reply.json(), "score", model.rank(QUERY, TEXTS, TEXTS.size()), 1e-6f);
        assertThat(reply.json()).noneMatch(rank -> rank.has("text"));
        assertThat(reply.headers().firstValue("x-compute-tokens")).isPresent();
    }

    @Test
    void givesRawScoresAndTextsWhenAsked() {
        Http.Reply reply = http.post("/rerank", request("raw_scores", true, "return_text", true));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        float[] logits = model.predict(TEXTS.stream().map(text -> new TextPair(QUERY, text)).toList(),
                PredictOptions.defaults().withApplyActivation(false));
        for (JsonNode rank : reply.json()) {
            int index = rank.get("index").asInt();
            assertThat(rank.get("score").floatValue()).isCloseTo(logits[index], within(1e-5f));
            assertThat(rank.get("text").asText()).isEqualTo(TEXTS.get(index));
        }
    }

    @Test
    void refusesATooLongPairUnlessAskedToTruncate() {
        String paragraph = String.join(" ", Collections.nCopies(80, "guitar"));
        Http.Reply refused = http.post("/rerank", request("texts", List.of("short", paragraph)));
        Http.Reply truncated = http.post("/rerank", request("texts", List.of("short", paragraph), "truncate", true));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("error").asText()).startsWith("texts[1] with the query has ")
                .contains("more than the 64 the model takes");
        assertThat(truncated.status()).as(truncated.body()).isEqualTo(200);
        // The long pair is cut to the model's 64 tokens, as rank cuts it (longest first, on the right).
        Ranks.assertRanks(truncated.json(), "score", model.rank(QUERY, List.of("short", paragraph), 2), 1e-6f);
        Http.Reply right = http.post("/rerank", request("texts", List.of("short", paragraph), "truncate", true,
                "truncation_direction", "Right"));
        assertThat(right.body()).isEqualTo(truncated.body());
        Http.Reply left = http.post("/rerank", request("texts", List.of("short", paragraph), "truncate", true,
                "truncation_direction", "Left"));
        assertThat(left.status()).isEqualTo(422);
        assertThat(left.json().get("error").asText()).contains("Left is not supported");
    }

    @Test
    void refusesBadRequestsAsTeiDoes() {
        Http.Reply empty = http.post("/rerank", request("texts", List.of()));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error_type").asText()).isEqualTo("empty");

        Http.Reply noQuery = http.post("/rerank", Map.of("texts", TEXTS));
        assertThat(noQuery.status()).isEqualTo(422);
        assertThat(noQuery.json().get("error").asText()).contains("'query' is missing");

        Http.Reply tooMany = http.post("/rerank", request("texts", Collections.nCopies(11, "a text")));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.json().get("error").asText()).contains("more than the 10 one request may hold");

        Http.Reply badText = http.post("/rerank", request("texts", List.of("fine", 3)));
        assertThat(badText.status()).isEqualTo(422);
        assertThat(badText.json().get("error").asText()).contains("'texts[1]' must be a string");
    }

    @Test
    void theOtherFamiliesRoutesAnswer424() {
        for (String path : List.of("/embed", "/embed_sparse", "/similarity")) {
            Http.Reply reply = http.post(path, Map.of("inputs", "a text"));
            assertThat(reply.status()).as(path).isEqualTo(424);
            assertThat(reply.json().get("error_type").asText()).isEqualTo("backend");
            assertThat(reply.json().get("error").asText()).contains("is a CrossEncoder, which this server answers at /predict, /rerank, /v1/rerank");
        }
        Http.Reply openAi = http.post("/v1/embeddings", Map.of("input", "a text"));
        assertThat(openAi.status()).isEqualTo(424);
        assertThat(openAi.json().get("error").get("code").asText()).isEqualTo("model_type");
    }

    @Test
    void infoAndTokenizeDescribeTheReranker() {
        JsonNode info = http.get("/info").json();
        assertThat(info.get("model_type").get("reranker").get("id2label").get("0").asText()).isEqualTo("LABEL_0");
        assertThat(info.get("max_input_length").asInt()).isEqualTo(64);

        Http.Reply tokens = http.post("/tokenize", Map.of("inputs", "a man"));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json().get(0).get(0).get("text").asText()).isEqualTo("[CLS]");
    }

    @Test
    void predictScoresOnePairOrAListOfThemAsPredictAllDoes() {
        List<List<String>> pairs = TEXTS.subList(0, 3).stream().map(text -> List.of(QUERY, text)).toList();
        Http.Reply one = http.post("/predict", Map.of("inputs", pairs.get(0)));
        Http.Reply batch = http.post("/predict", Map.of("inputs", pairs));
        Http.Reply raw = http.post("/predict", Map.of("inputs", pairs, "raw_scores", true));

        List<TextPair> textPairs = TEXTS.subList(0, 3).stream().map(text -> new TextPair(QUERY, text)).toList();
        float[][] scores = model.predictAll(textPairs);
        float[][] logits = model.predictAll(textPairs, PredictOptions.defaults().withApplyActivation(false));
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.json()).hasSize(1);
        assertThat(one.json().at("/0/label").asText()).isEqualTo("LABEL_0");
        assertThat(one.json().at("/0/score").floatValue()).isCloseTo(scores[0][0], within(1e-6f));
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.json()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(batch.json().at("/" + i + "/0/score").floatValue()).isCloseTo(scores[i][0], within(1e-6f));
            assertThat(raw.json().at("/" + i + "/0/score").floatValue()).isCloseTo(logits[i][0], within(1e-5f));
        }
        assertThat(logits[0][0]).isNotCloseTo(scores[0][0], within(1e-3f));
    }

    @Test
    void predictRefusesWhatIsNotAPair() {
        Http.Reply lone = http.post("/predict", Map.of("inputs", "a text"));
        Http.Reply three = http.post("/predict", Map.of("inputs", List.of(List.of("a", "b", "c"))));
        Http.Reply empty = http.post("/predict", Map.of("inputs", List.of()));

        assertThat(lone.status()).isEqualTo(422);
        assertThat(lone.json().get("error").asText()).isEqualTo("field 'inputs' holds one text, but this server's models score"
                + " pairs of texts (CrossEncoder): send [text, text]");
        assertThat(three.status()).isEqualTo(422);
        assertThat(three.json().get("error").asText()).isEqualTo("field 'inputs[0]' must be a pair [text, text], got a list of 3");
        assertThat(empty.status()).isEqualTo(400);
    }

    @Test
    void cohereRerankGivesTheBestTopNWithRelevanceScores() {
        Http.Reply reply = http.post("/v1/rerank", Map.of("model", "cross-encoder-bert", "query", QUERY, "documents", TEXTS,
                "top_n", 3, "return_documents", true));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        Ranks.assertRanks(results, "relevance_score", model.rank(QUERY, TEXTS, 3), 1e-6f);
        for (JsonNode result : results) {
            assertThat(result.at("/document/text").asText()).isEqualTo(TEXTS.get(result.get("index").asInt()));
        }
        assertThat(reply.json().get("model").asText()).isEqualTo("cross-encoder-bert");
        assertThat(reply.json().at("/usage/total_tokens").asInt()).isPositive();
    }

    @Test
    void cohereRerankTakesDocumentObjectsAndWritesOpenAiErrors() {
        List<Map<String, String>> documents = TEXTS.stream().map(text -> Map.of("text", text)).toList();
        Http.Reply objects = http.post("/v1/rerank", Map.of("query", QUERY, "documents", documents));
        Http.Reply noQuery = http.post("/v1/rerank", Map.of("documents", TEXTS));
        Http.Reply badDocument = http.post("/v1/rerank", Map.of("query", QUERY, "documents", List.of(Map.of("title", "x"))));

        assertThat(objects.status()).as(objects.body()).isEqualTo(200);
        assertThat(objects.json().get("results")).hasSize(TEXTS.size());
        assertThat(objects.json().at("/results/0/index").asInt()).isEqualTo(model.rank(QUERY, TEXTS, 1).get(0).index());
        assertThat(objects.json().at("/results/0/document").isMissingNode()).isTrue();
        assertThat(noQuery.status()).isEqualTo(422);
        assertThat(noQuery.json().at("/error/message").asText()).contains("'query' is missing");
        assertThat(badDocument.status()).isEqualTo(422);
        assertThat(badDocument.json().at("/error/param").asText()).isEqualTo("documents[0].text");
    }
}
