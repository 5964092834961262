package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.RouterFolders;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Inference-free SPLADE served: {@code /embed_sparse} with {@code task} gives encodeQuery's or encodeDocument's vectors. */
class SparseQueryDocumentRoutesTest {
    private static final List<String> TEXTS = List.of("w1 w2 w2", "w1400 w7");

    @RegisterExtension
    static final FolderServer<SparseEncoder> SERVER = new FolderServer<>(
            temp -> SparseEncoder.load(RouterFolders.inferenceFreeSplade(temp.resolve("splade")).toString()));

    private final SparseEncoder model = SERVER.model();
    private final Http http = SERVER.http();

    @Test
    void taskTakesTheQueryOrDocumentRoute() {
        List<Map<Integer, Float>> queries = sparse("query");
        List<Map<Integer, Float>> documents = sparse("document");

        assertThat(queries).isEqualTo(entries(model.encodeQuery(TEXTS)));
        assertThat(documents).isEqualTo(entries(model.encodeDocument(TEXTS)));
        assertThat(queries).isNotEqualTo(documents);
    }

    private List<Map<Integer, Float>> sparse(String task) {
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
