package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TEI's {@code /embed_all} and {@code /decode}, OpenAI's {@code /v1/models} and HEAD, on a real model. */
class EmbedAllDecodeTest {
    private static final List<String> SEED = Shared.lines("data/seed-sentences.txt");

    @RegisterExtension
    static final TestServer SERVER = new TestServer(Shared.MINILM, options -> options.withMaxClientBatchSize(4));

    private final SentenceTransformer model = SERVER.model();
    private final Http http = SERVER.http();

    @Test
    void embedAllGivesEachTokensVectorAsTheTransformerDoes() {
        List<String> texts = SEED.subList(0, 3);
        Http.Reply reply = http.post("/embed_all", Map.of("inputs", texts));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<float[][]> expected = model.encodeTokens(texts, EncodeOptions.defaults());
        JsonNode all = reply.json();
        assertThat(all).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(all.get(i)).as("tokens of text %d", i).hasSize(expected.get(i).length);
            assertClose(Vectors.rows(all.get(i)), expected.get(i), REFERENCE_TOLERANCE);
        }
        // Not pooled: the first token's vector is not the text's embedding.
        assertThat(Vectors.row(all.get(0).get(0))).hasSize(384).isNotEqualTo(model.encode(texts.subList(0, 1))[0]);
    }

    @Test
    void embedAllRefusesWhatEmbedRefuses() {
        Http.Reply tooLong = http.post("/embed_all", Map.of("inputs", "word ".repeat(300)));
        Http.Reply tooMany = http.post("/embed_all", Map.of("inputs", List.of("a", "b", "c", "d", "e")));

        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.json().get("error").asText()).startsWith("inputs[0] has ").contains("more than the 256 the model takes");
        assertThat(tooMany.status()).isEqualTo(422);
    }

    @Test
    void decodeGivesBackTheTextOfTokenizedIds() {
        JsonNode tokens = http.post("/tokenize", Map.of("inputs", List.of("A man plays.", "Hello world"))).json();
        List<List<Long>> ids = new ArrayList<>();
        for (JsonNode text : tokens) {
            List<Long> one = new ArrayList<>();
            text.forEach(token -> one.add(token.get("id").asLong()));
            ids.add(one);
        }

        Http.Reply batch = http.post("/decode", Map.of("ids", ids));
        Http.Reply single = http.post("/decode", Map.of("ids", ids.get(1), "skip_special_tokens", false));

        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        // MiniLM's tokenizer lowercases.
        assertThat(batch.json().toString()).isEqualTo("[\"a man plays.\",\"hello world\"]");
        assertThat(single.json().toString()).isEqualTo("[\"[CLS] hello world [SEP]\"]");
    }

    @Test
    void decodeRefusesWhatIsNotTokenIds() {
        Http.Reply negative = http.post("/decode", Map.of("ids", List.of(101, -1)));
        Http.Reply text = http.post("/decode", Map.of("ids", "101"));
        Http.Reply empty = http.post("/decode", Map.of("ids", List.of(List.of())));
        Http.Reply tooMany = http.post("/decode", Map.of("ids", List.of(List.of(1), List.of(1), List.of(1), List.of(1), List.of(1))));

        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.json().get("error").asText())
                .isEqualTo("field 'ids[1]' must be a token id, a whole number from 0 to 4294967295, got the number -1");
        assertThat(text.status()).isEqualTo(422);
        assertThat(text.json().get("error").asText()).contains("'ids' must be a list of token ids");
        assertThat(empty.status()).as(empty.body()).isEqualTo(200);
        assertThat(empty.json().toString()).isEqualTo("[\"\"]");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.json().get("error").asText()).contains("more than the 4 one request may hold");
        Http.Reply unknown = http.post("/decode", Map.of("ids", List.of(7592, 4294967295L)));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(200);
        assertThat(unknown.json().toString()).isEqualTo("[\"hello\"]");
    }

    @Test
    void listsTheModelAsOpenAiAndTeiDo() {
        Http.Reply models = http.get("/v1/models");
        JsonNode info = http.get("/info").json();

        assertThat(models.status()).as(models.body()).isEqualTo(200);
        assertThat(models.json().get("object").asText()).isEqualTo("list");
        assertThat(models.json().get("data")).hasSize(1);
        assertThat(models.json().at("/data/0/id").asText()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(models.json().at("/data/0/object").asText()).isEqualTo("model");
        assertThat(models.json().at("/data/0/owned_by").asText()).isEqualTo("sentence4j");
        assertThat(info.get("model_id").asText()).isEqualTo(Shared.MINILM);
        assertThat(info.at("/models/0/name").asText()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(info.at("/models/0/model_type/embedding/pooling").asText()).isEqualTo("mean");
    }

    @Test
    void answersHeadWhereItAnswersGetWithTheHeadersAndNoBody() {
        Http.Reply get = http.get("/info");
        Http.Reply head = http.send(http.request("/info").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        Http.Reply health = http.send(http.request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        Http.Reply post = http.send(http.request("/embed").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(get.body().length()));
        assertThat(head.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(health.status()).isEqualTo(200);
        assertThat(post.status()).isEqualTo(405);
    }
}
