package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import dev.sentence4j.TestModels;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An embedder, a reranker and a sparse encoder served by one server, each request picking one by name. */
class MultiModelTest {
    private static final String QUERY = "A man is playing a guitar.";
    private static final List<String> TEXTS = Shared.lines("fixtures/st6/public.txt").subList(0, 4);
    private static SentenceTransformer embedder;
    private static CrossEncoder reranker;
    private static SparseEncoder sparse;
    private static EmbeddingServer server;
    private static Http http;

    @BeforeAll
    static void start() throws IOException {
        embedder = TestModels.get(Shared.MINILM);
        reranker = CrossEncoder.load(Shared.path("fixtures/st6/models/cross-encoder-bert").toString());
        sparse = SparseEncoder.load(Shared.path("fixtures/st6/models/splade-bert").toString());
        server = EmbeddingServer.start(List.of(embedder, reranker, sparse), TestServer.loopback());
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
        reranker.close();
        sparse.close();
    }

    @Test
    void eachRouteGoesToTheModelARequestNamesOrTheFirst() {
        Http.Reply unnamed = http.post("/embed", Map.of("inputs", TEXTS));
        Http.Reply openAi = http.post("/v1/embeddings", Map.of("model", "all-MiniLM-L6-v2", "input", TEXTS));
        Http.Reply byFullId = http.post("/embed", Map.of("model", Shared.MINILM, "inputs", TEXTS));
        Http.Reply rerank = http.post("/rerank", Map.of("model", "cross-encoder-bert", "query", QUERY, "texts", TEXTS));
        Http.Reply splade = http.post("/embed_sparse", Map.of("model", "splade-bert", "inputs", TEXTS.get(0)));

        float[][] vectors = embedder.encode(TEXTS);
        assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(200);
        assertClose(Vectors.rows(unnamed.json()), vectors, REFERENCE_TOLERANCE);
        assertClose(Vectors.rows(byFullId.json()), vectors, REFERENCE_TOLERANCE);
        assertThat(openAi.status()).as(openAi.body()).isEqualTo(200);
        assertClose(new float[][] {Vectors.row(openAi.json().at("/data/0/embedding"))}, new float[][] {vectors[0]},
                REFERENCE_TOLERANCE);
        assertThat(rerank.status()).as(rerank.body()).isEqualTo(200);
        assertThat(rerank.json().at("/0/index").asInt()).isEqualTo(reranker.rank(QUERY, TEXTS, 1).get(0).index());
        assertThat(rerank.json().at("/0/score").floatValue()).isCloseTo(reranker.rank(QUERY, TEXTS, 1).get(0).score(),
                within(1e-6f));
        assertThat(splade.status()).as(splade.body()).isEqualTo(200);
        SparseVector expected = sparse.encode(TEXTS.subList(0, 1)).get(0);
        assertThat(splade.json().get(0)).hasSize(expected.size());
        assertThat(splade.json().at("/0/0/index").asInt()).isEqualTo(expected.indices()[0]);
    }

    @Test
    void tokenizeAndDecodeUseTheNamedModelsTokenizer() {
        Http.Reply minilm = http.post("/tokenize", Map.of("inputs", "Hello"));
        Http.Reply bert = http.post("/tokenize", Map.of("model", "cross-encoder-bert", "inputs", "Hello"));

        assertThat(minilm.json().at("/0/1/id").asLong()).isEqualTo(embedder.tokenizer().spans("Hello", true).get(1).id());
        assertThat(bert.json().at("/0/1/id").asLong()).isEqualTo(reranker.tokenizer().spans("Hello", true).get(1).id());
    }

    @Test
    void anUnknownModelListsTheServedOnes() {
        Http.Reply tei = http.post("/embed", Map.of("model", "bge-small", "inputs", "a"));
        Http.Reply openAi = http.post("/v1/embeddings", Map.of("model", "text-embedding-3-small", "input", "a"));

        assertThat(tei.status()).isEqualTo(404);
        assertThat(tei.json().get("error").asText()).isEqualTo("the model 'bge-small' is not served here; this server serves"
                + " all-MiniLM-L6-v2, cross-encoder-bert, splade-bert");
        assertThat(openAi.status()).isEqualTo(404);
        assertThat(openAi.json().at("/error/code").asText()).isEqualTo("model_not_found");
        assertThat(openAi.json().at("/error/param").asText()).isEqualTo("model");
    }

    @Test
    void aModelOfTheWrongFamilyAnswers424NamingTheOneThatFits() {
        Http.Reply unnamed = http.post("/rerank", Map.of("query", QUERY, "texts", TEXTS));
        Http.Reply wrong = http.post("/v1/embeddings", Map.of("model", "cross-encoder-bert", "input", "a"));

        assertThat(unnamed.status()).isEqualTo(424);
        assertThat(unnamed.json().get("error").asText()).isEqualTo("/rerank needs a CrossEncoder model; " + Shared.MINILM
                + " is a SentenceTransformer, which this server answers at /embed, /embed_all, /embeddings, /similarity,"
                + " /v1/embeddings; send \"model\": cross-encoder-bert for /rerank");
        assertThat(wrong.status()).isEqualTo(424);
        assertThat(wrong.json().at("/error/code").asText()).isEqualTo("model_type");
    }

    @Test
    void listsEveryModelAndLabelsEachOnesMetrics() {
        JsonNode models = http.get("/v1/models").json().get("data");
        JsonNode info = http.get("/info").json();
        http.post("/rerank", Map.of("model", "cross-encoder-bert", "query", QUERY, "texts", TEXTS));
        String metrics = http.get("/metrics").body();

        assertThat(models).extracting(model -> model.get("id").asText())
                .containsExactly("all-MiniLM-L6-v2", "cross-encoder-bert", "splade-bert");
        assertThat(info.get("model_id").asText()).isEqualTo(Shared.MINILM);
        assertThat(info.get("models")).extracting(model -> model.get("name").asText())
                .containsExactly("all-MiniLM-L6-v2", "cross-encoder-bert", "splade-bert");
        assertThat(info.at("/models/1/model_type/reranker/id2label/0").asText()).isEqualTo("LABEL_0");
        assertThat(info.at("/models/2/model_type/embedding/pooling").asText()).isEqualTo("splade");
        assertThat(metrics).contains("te_queue_size{model=\"" + reranker.name() + "\"} 0",
                "te_request_in_flight{model=\"" + sparse.name() + "\"} 0");
        assertThat(metrics.lines().filter(line -> line.startsWith("te_batch_next_size_count{model=\"" + reranker.name())))
                .singleElement().asString().doesNotEndWith(" 0");
    }

    @Test
    void refusesAModelGivenTwiceOrOfAnotherKind() {
        assertThatThrownBy(() -> EmbeddingServer.start(List.of(embedder, embedder), TestServer.loopback()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model " + Shared.MINILM + " is given twice; serve each model once");
        assertThatThrownBy(() -> EmbeddingServer.start(List.of("a model"), TestServer.loopback()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not java.lang.String");
    }

    @Test
    void shortNamesAreTheLastPartOfAnIdOrFolder() {
        assertThat(HostedModels.shortName("BAAI/bge-small-en-v1.5")).isEqualTo("bge-small-en-v1.5");
        assertThat(HostedModels.shortName("/models/minilm/")).isEqualTo("minilm");
        assertThat(HostedModels.shortName("minilm")).isEqualTo("minilm");
    }
}
