package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --auto-truncate} ({@link ServerOptions#withAutoTruncate}): a request that says nothing of
 * truncation has its too long inputs cut as the model's own calls cut them, on TEI's routes and on
 * OpenAI's, rather than refused; a request's own {@code "truncate": false} still refuses them.
 */
class AutoTruncateTest {
    private static final String LONG = String.join(" ", Collections.nCopies(300, "guitar"));
    private static final String QUERY = "A man is playing a guitar.";
    private static SentenceTransformer embedder;
    private static CrossEncoder reranker;
    private static EmbeddingServer server;
    private static Http http;

    @BeforeAll
    static void start() throws IOException {
        embedder = SentenceTransformer.load(Shared.path("fixtures/st6/models/seed-bert-mean").toString());
        reranker = CrossEncoder.load(Shared.path("fixtures/st6/models/cross-encoder-bert").toString());
        server = EmbeddingServer.start(List.of(embedder, reranker), TestServer.loopback().withAutoTruncate(true));
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
        reranker.close();
        embedder.close();
    }

    @Test
    void theInputIsTooLongWithoutTruncation() {
        assertThat(embedder.tokenizer().tokenize(List.of(LONG)).get(0).untruncatedLength())
                .isGreaterThan(embedder.tokenizer().settings().maxSeqLength());
    }

    @Test
    void teiAndOpenAiEmbeddingsCutALongInput() {
        Http.Reply tei = http.post("/embed", Map.of("model", "seed-bert-mean", "inputs", List.of(LONG, QUERY)));
        Http.Reply openAi = http.post("/v1/embeddings", Map.of("model", "seed-bert-mean", "input", List.of(LONG, QUERY)));

        // Both routes normalize by default (TEI's normalize, OpenAI's unit vectors); this model has no Normalize module.
        float[][] expected = embedder.encode(List.of(LONG, QUERY), EncodeOptions.defaults().withNormalize(true));
        assertThat(tei.status()).as(tei.body()).isEqualTo(200);
        assertClose(Vectors.rows(tei.json()), expected, 1e-5);
        assertThat(openAi.status()).as(openAi.body()).isEqualTo(200);
        JsonNode data = openAi.json().get("data");
        for (int i = 0; i < 2; i++) {
            assertClose(Vectors.row(data.get(i).get("embedding")), expected[i], 1e-5);
        }
    }

    @Test
    void rerankCutsALongPair() {
        Http.Reply reply = http.post("/rerank", Map.of("model", "cross-encoder-bert", "query", QUERY, "texts", List.of("short", LONG)));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        Ranks.assertRanks(reply.json(), "score", reranker.rank(QUERY, List.of("short", LONG), 2), 1e-5f);
    }

    @Test
    void aRequestsOwnTruncateFalseStillRefuses() {
        Http.Reply reply = http.post("/embed", Map.of("model", "seed-bert-mean", "inputs", LONG, "truncate", false));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").asText()).contains("more than the");
    }
}
