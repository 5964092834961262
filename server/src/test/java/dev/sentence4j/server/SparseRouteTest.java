package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.ModelFolders;
import dev.sentence4j.Shared;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TEI's {@code /embed_sparse} served by the st6 SPLADE fixture, each reply checked against the model used directly. */
class SparseRouteTest {
    private static final List<String> TEXTS = Shared.lines("data/seed-sentences.txt").subList(0, 6);

    @RegisterExtension
    static final FolderServer<SparseEncoder> SERVER = new FolderServer<>(SparseRouteTest::prompted);

    private final SparseEncoder model = SERVER.model();
    private final Http http = SERVER.http();

    /** The fixture's prompts are empty strings; a copy with real ones shows whether a prompt is applied. */
    private static SparseEncoder prompted(Path temp) throws IOException {
        Path folder = ModelFolders.st6(temp, "splade-bert", "prompted");
        Path config = folder.resolve("config_sentence_transformers.json");
        Files.writeString(config, Files.readString(config).replace("\"query\": \"\"", "\"query\": \"question: \""));
        return SparseEncoder.load(folder.toString());
    }

    private static void assertEntries(JsonNode entries, SparseVector expected) {
        assertThat(entries).hasSize(expected.size());
        for (int k = 0; k < expected.size(); k++) {
            assertThat(entries.get(k).get("index").asInt()).isEqualTo(expected.indices()[k]);
            assertThat(entries.get(k).get("value").floatValue()).isCloseTo(expected.values()[k], within(1e-6f));
        }
    }

    @Test
    void givesEachInputsNonZeroEntriesAsTheModelDoes() {
        Http.Reply list = http.post("/embed_sparse", Map.of("inputs", TEXTS));
        Http.Reply one = http.post("/embed_sparse", Map.of("inputs", TEXTS.get(2)));

        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<SparseVector> expected = model.encode(TEXTS);
        assertThat(list.json()).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEntries(list.json().get(i), expected.get(i));
        }
        assertThat(one.json()).hasSize(1);
        assertEntries(one.json().get(0), expected.get(2));
    }

    @Test
    void takesTheModelsPromptsByName() {
        Http.Reply reply = http.post("/embed_sparse", Map.of("inputs", TEXTS, "prompt_name", "query"));
        Http.Reply unknown = http.post("/embed_sparse", Map.of("inputs", TEXTS, "prompt_name", "passage"));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<SparseVector> prompted = model.encode(TEXTS.stream().map(t -> "question: " + t).toList());
        assertThat(prompted.get(0)).isNotEqualTo(model.encode(TEXTS.get(0)));
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEntries(reply.json().get(i), prompted.get(i));
        }
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("error").asText()).contains("no prompt named 'passage'");
    }

    @Test
    void refusesBadRequestsAsTeiDoes() {
        Http.Reply empty = http.post("/embed_sparse", Map.of("inputs", List.of()));
        assertThat(empty.status()).isEqualTo(400);

        String paragraph = String.join(" ", Collections.nCopies(80, "word"));
        Http.Reply tooLong = http.post("/embed_sparse", Map.of("inputs", List.of("short", paragraph)));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.json().get("error").asText()).startsWith("inputs[1] has ");
        assertThat(http.post("/embed_sparse", Map.of("inputs", List.of("short", paragraph), "truncate", true)).status())
                .isEqualTo(200);
    }

    @Test
    void theOtherFamiliesRoutesAnswer424() {
        Http.Reply rerank = http.post("/rerank", Map.of("query", "q", "texts", List.of("a")));
        assertThat(rerank.status()).isEqualTo(424);
        assertThat(rerank.json().get("error").asText())
                .isEqualTo("/rerank needs a CrossEncoder model; " + model.name() + " is a SparseEncoder, which this server "
                        + "answers at /embed_sparse");
        assertThat(http.post("/embed", Map.of("inputs", "a")).status()).isEqualTo(424);
        assertThat(http.get("/info").json().get("model_type").get("embedding").get("pooling").asText()).isEqualTo("splade");
    }
}
