package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.RouterFolders;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inference-free SPLADE served: {@code /embed_sparse} with {@code task} gives encodeQuery's or encodeDocument's vectors. */
class SparseQueryDocumentRoutesTest {
    private static final List<String> TEXTS = List.of("w1 w2 w2", "w1400 w7");

    @TempDir
    static Path temp;

    private static SparseEncoder model;
    private static EmbeddingServer server;
    private static Http http;

    @BeforeAll
    static void serve() throws Exception {
        model = SparseEncoder.load(RouterFolders.inferenceFreeSplade(temp.resolve("splade")).toString());
        server = EmbeddingServer.start(model, TestServer.loopback());
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    @Test
    void taskTakesTheQueryOrDocumentRoute() {
        List<Map<Integer, Float>> queries = sparse("query");
        List<Map<Integer, Float>> documents = sparse("document");

        assertThat(queries).isEqualTo(entries(model.encodeQuery(TEXTS)));
        assertThat(documents).isEqualTo(entries(model.encodeDocument(TEXTS)));
        assertThat(queries).isNotEqualTo(documents);
    }

    private static List<Map<Integer, Float>> sparse(String task) {
        Http.Reply reply = http.post("/embed_sparse", Map.of("inputs", TEXTS, "task", task));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return java.util.stream.StreamSupport.stream(reply.json().spliterator(), false).map(vector -> {
            Map<Integer, Float> entries = new LinkedHashMap<>();
            for (JsonNode entry : vector) {
                entries.put(entry.get("index").asInt(), entry.get("value").floatValue());
            }
            return entries;
        }).toList();
    }

    private static List<Map<Integer, Float>> entries(List<SparseVector> vectors) {
        return vectors.stream().map(vector -> {
            Map<Integer, Float> entries = new LinkedHashMap<>();
            for (int k = 0; k < vector.size(); k++) {
                entries.put(vector.indices()[k], vector.values()[k]);
            }
            return entries;
        }).toList();
    }
}
