package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.RouterFolders;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /embed_all}'s {@code task} on a Router whose routes are Transformers: the ST6 BERT fixture for
 * queries, the DistilBERT fixture (another tokenizer, another network) for documents. Each task's token
 * vectors are those of the model's own query or document token embeddings, and of that fixture loaded
 * alone; the token counts are those the real library's tokenizer gave.
 */
class TransformerRoutesEmbedAllTest {
    private static final String QUERY_MODEL = "seed-bert-mean";
    private static final String DOCUMENT_MODEL = "seed-distilbert-mean";
    /** Texts of different token counts, so that batches carry padding. */
    private static final List<String> TEXTS = Shared.lines("fixtures/st6/public.txt").subList(0, 5);

    @TempDir
    static Path temp;

    private static SentenceTransformer router;
    private static EmbeddingServer server;
    private static Http http;

    @BeforeAll
    static void serve() throws IOException {
        router = SentenceTransformer.load(RouterFolders.transformerRoutes(temp.resolve("router"), QUERY_MODEL, DOCUMENT_MODEL)
                .toString());
        server = EmbeddingServer.start(router, TestServer.loopback());
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
        router.close();
    }

    @Test
    void eachTaskGivesItsRoutesTokenVectors() {
        List<float[][]> queries = embedAll("query");
        List<float[][]> documents = embedAll("document");

        assertSame(queries, router.encodeTokens(TEXTS, router.forTask("query", EncodeOptions.defaults())));
        assertSame(documents, router.encodeTokens(TEXTS, router.forTask("document", EncodeOptions.defaults())));
        assertSame(queries, alone(QUERY_MODEL));
        assertSame(documents, alone(DOCUMENT_MODEL));
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(queries.get(i)).as("query tokens of text %d", i).hasNumberOfRows(referenceTokenCounts(QUERY_MODEL)[i]);
            assertThat(documents.get(i)).as("document tokens of text %d", i)
                    .hasNumberOfRows(referenceTokenCounts(DOCUMENT_MODEL)[i]);
        }
        assertThat(queries.get(0)[0]).as("the routes run different networks").isNotEqualTo(documents.get(0)[0]);
    }

    /** No task takes the default route, the document one; TEI's {@code search_query} names the query route. */
    @Test
    void noTaskTakesTheDefaultRoute() {
        assertSame(embedAll(null), embedAll("document"));
        assertSame(embedAll("search_query"), embedAll("query"));
    }

    private static List<float[][]> embedAll(String task) {
        Map<String, Object> body = new HashMap<>(Map.of("inputs", TEXTS));
        if (task != null) {
            body.put("task", task);
        }
        Http.Reply reply = http.post("/embed_all", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode texts = reply.json();
        assertThat(texts).hasSize(TEXTS.size());
        return StreamSupport.stream(texts.spliterator(), false).map(Vectors::rows).toList();
    }

    /** The fixture's token embeddings, loaded as a model of its own. */
    private static List<float[][]> alone(String fixture) {
        try (SentenceTransformer model = SentenceTransformer.load(Shared.path("fixtures/st6/models/" + fixture).toString())) {
            return model.encodeTokens(TEXTS, EncodeOptions.defaults());
        }
    }

    /** How many tokens the real library's tokenizer gave each text (shared/fixtures/st6/reference). */
    private static int[] referenceTokenCounts(String fixture) {
        try {
            JsonNode ids = new ObjectMapper().readTree(Shared.path("fixtures/st6/reference/" + fixture + ".public.tokens.json")
                    .toFile());
            return IntStream.range(0, TEXTS.size()).map(i -> ids.get(i).size()).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertSame(List<float[][]> actual, List<float[][]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            assertClose(actual.get(i), expected.get(i), REFERENCE_TOLERANCE);
        }
    }
}
