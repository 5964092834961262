package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.RouterFolders;
import dev.sentence4j.SentenceTransformer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Router model (a query route and a document route) served: OpenAI's {@code input_type} and TEI's
 * {@code task} give what {@code encodeQuery} and {@code encodeDocument} give, and no field the default.
 */
class QueryDocumentRoutesTest {
    private static final List<String> TEXTS = List.of("w1 w2", "w3 w3 w11", "w0");

    @RegisterExtension
    static final FolderServer<SentenceTransformer> SERVER = new FolderServer<>(
            temp -> SentenceTransformer.load(RouterFolders.queryDocument(temp.resolve("router")).toString()));

    private final SentenceTransformer model = SERVER.model();
    private final Http http = SERVER.http();

    @Test
    void openAiInputTypeTakesTheQueryOrDocumentRoute() {
        float[][] queries = openAi(Map.of("input", TEXTS, "input_type", "query"));
        float[][] documents = openAi(Map.of("input", TEXTS, "input_type", "document"));

        assertClose(queries, model.encodeQuery(TEXTS), 1e-6);
        assertClose(documents, model.encodeDocument(TEXTS), 1e-6);
        assertThat(queries[0]).isNotEqualTo(documents[0]);
        assertClose(openAi(Map.of("input", TEXTS, "input_type", "search_query")), queries, 0);
        assertClose(openAi(Map.of("input", TEXTS, "model", "router")), model.encode(TEXTS), 1e-6);
    }

    @Test
    void teiTaskTakesTheQueryOrDocumentRoute() {
        float[][] queries = tei(Map.of("inputs", TEXTS, "task", "query"));
        float[][] documents = tei(Map.of("inputs", TEXTS, "task", "document"));

        assertClose(queries, model.encodeQuery(TEXTS), 1e-6);
        assertClose(documents, model.encodeDocument(TEXTS), 1e-6);
        assertThat(queries[0]).isNotEqualTo(documents[0]);
    }

    /** Both routes are token tables, which give sentence embeddings only: the wrong model for token vectors. */
    @Test
    void embedAllOnATokenTableRouteIsTheWrongModel() {
        Http.Reply reply = http.post("/embed_all", Map.of("inputs", TEXTS, "task", "query"));

        assertThat(reply.status()).isEqualTo(424);
        assertThat(reply.json().get("error").asText()).contains("StaticEmbedding gives no token embeddings");
    }

    @Test
    void anUnknownTaskIsRefusedNamingTheFieldAndTheValues() {
        Http.Reply tei = http.post("/embed", Map.of("inputs", TEXTS, "task", "passage"));
        Http.Reply openAi = http.post("/v1/embeddings", Map.of("input", TEXTS, "input_type", "passage"));

        assertThat(tei.status()).isEqualTo(422);
        assertThat(tei.json().get("error").asText())
                .isEqualTo("field 'task' must be query or document (or search_query, search_document), got 'passage'");
        assertThat(openAi.status()).isEqualTo(422);
        assertThat(openAi.json().get("error").get("message").asText()).contains("field 'input_type'").contains("'passage'");
        assertThat(openAi.json().get("error").get("param").asText()).isEqualTo("input_type");
    }

    private float[][] tei(Object body) {
        Http.Reply reply = http.post("/embed", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Vectors.rows(reply.json());
    }

    private float[][] openAi(Object body) {
        Http.Reply reply = http.post("/v1/embeddings", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        float[][] vectors = new float[TEXTS.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = Vectors.row(reply.json().get("data").get(i).get("embedding"));
        }
        return vectors;
    }
}
