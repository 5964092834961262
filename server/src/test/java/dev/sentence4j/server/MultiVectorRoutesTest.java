package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.MultiVectorFolders;
import dev.sentence4j.RankedText;
import dev.sentence4j.Shared;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TEI's {@code /rerank} and {@code /embed_all} served by a ColBERT folder, each reply checked against the model used directly. */
class MultiVectorRoutesTest {
    private static final List<String> TEXTS = Shared.lines("data/seed-sentences.txt").subList(0, 6);

    @RegisterExtension
    static final FolderServer<MultiVectorEncoder> SERVER = new FolderServer<>(temp -> MultiVectorEncoder.load(
            MultiVectorFolders.colbert(temp, "colbert", MultiVectorFolders.Spec.bert()).toString()));

    private final MultiVectorEncoder model = SERVER.model();
    private final Http http = SERVER.http();

    @Test
    void rerankOrdersTheTextsByMaxSimAsTheModelsRankDoes() {
        Http.Reply reply = http.post("/rerank", Map.of("query", TEXTS.get(0), "texts", TEXTS, "return_text", true));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<RankedText> expected = model.rank(TEXTS.get(0), TEXTS, TEXTS.size());
        assertThat(reply.json()).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            JsonNode hit = reply.json().get(i);
            assertThat(hit.get("index").asInt()).isEqualTo(expected.get(i).index());
            assertThat(hit.get("score").floatValue()).isCloseTo(expected.get(i).score(), within(1e-5f));
            assertThat(hit.get("text").asText()).isEqualTo(expected.get(i).text());
        }
        assertThat(reply.headers().firstValue("x-compute-tokens")).isPresent();
    }

    @Test
    void embedAllGivesEachInputsTokenVectorsAsDocumentsOrQueries() {
        Http.Reply documents = http.post("/embed_all", Map.of("inputs", TEXTS));
        Http.Reply queries = http.post("/embed_all", Map.of("inputs", TEXTS.subList(0, 2), "prompt_name", "query"));
        Http.Reply unknown = http.post("/embed_all", Map.of("inputs", TEXTS, "prompt_name", "passage"));

        assertThat(documents.status()).as(documents.body()).isEqualTo(200);
        assertBlocks(documents.json(), model.encodeDocument(TEXTS));
        assertThat(queries.status()).as(queries.body()).isEqualTo(200);
        assertBlocks(queries.json(), model.encodeQuery(TEXTS.subList(0, 2)));
        assertThat(queries.json().get(0)).hasSize(32);
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("error").asText()).contains("must be 'query' or 'document'");
    }

    @Test
    void theRoutesOfOtherFamiliesAnswer424NamingTheseRoutes() {
        Http.Reply embed = http.post("/embed", Map.of("inputs", TEXTS));

        assertThat(embed.status()).isEqualTo(424);
        assertThat(embed.json().get("error").asText()).contains("/embed needs a SentenceTransformer model")
                .contains("which this server answers at /embed_all, /rerank");
    }

    private static void assertBlocks(JsonNode json, List<float[][]> expected) {
        assertThat(json).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(json.get(i)).hasSize(expected.get(i).length);
            for (int t = 0; t < expected.get(i).length; t++) {
                for (int k = 0; k < expected.get(i)[t].length; k++) {
                    assertThat(json.get(i).get(t).get(k).floatValue()).isCloseTo(expected.get(i)[t][k], within(1e-6f));
                }
            }
        }
    }
}
