package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.RankedText;
import dev.sentence4j.Shared;
import dev.sentence4j.TextPair;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TEI's {@code /rerank} served by the st6 cross-encoder fixture, each reply checked against the model used directly. */
class RerankRouteTest {
    private static final String QUERY = "A man is playing a guitar.";
    private static final List<String> TEXTS = Shared.lines("fixtures/st6/public.txt").subList(0, 6);
    private static CrossEncoder model;
    private static EmbeddingServer server;
    private static Http http;

    @BeforeAll
    static void start() throws IOException {
        model = CrossEncoder.load(Shared.path("fixtures/st6/models/cross-encoder-bert").toString());
        server = EmbeddingServer.start(model, TestServer.loopback().withMaxClientBatchSize(10));
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    private static Map<String, Object> request(Object... fields) {
        Map<String, Object> request = new HashMap<>(Map.of("query", QUERY, "texts", TEXTS));
        for (int i = 0; i < fields.length; i += 2) {
            request.put((String) fields[i], fields[i + 1]);
        }
        return request;
    }

    @Test
    void ranksAsTheModelRanksBestFirst() {
        Http.Reply reply = http.post("/rerank", request());

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<RankedText> expected = model.rank(QUERY, TEXTS, TEXTS.size());
        JsonNode ranks = reply.json();
        assertThat(ranks).hasSize(TEXTS.size());
        for (int r = 0; r < ranks.size(); r++) {
            assertThat(ranks.get(r).get("index").asInt()).isEqualTo(expected.get(r).index());
            assertThat(ranks.get(r).get("score").floatValue()).isCloseTo(expected.get(r).score(), within(1e-6f));
            assertThat(ranks.get(r).has("text")).isFalse();
        }
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
        List<RankedText> expected = model.rank(QUERY, List.of("short", paragraph), 2);
        assertThat(truncated.json()).hasSize(2);
        for (int r = 0; r < 2; r++) {
            assertThat(truncated.json().get(r).get("index").asInt()).isEqualTo(expected.get(r).index());
            assertThat(truncated.json().get(r).get("score").floatValue()).isCloseTo(expected.get(r).score(), within(1e-6f));
        }
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
            assertThat(reply.json().get("error").asText()).contains("is a CrossEncoder, which this server answers at /rerank");
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
}
