package dev.sentence4j.springai;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.RouterFolders;
import dev.sentence4j.SentenceTransformer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;

/**
 * On a Router model whose default route is {@code query}: documents (as a vector store adds them) take
 * the document route, plain strings (as a vector store's queries arrive) the default one.
 */
class RoutedDocumentsTest {
    private static final List<String> TEXTS = List.of("w1 w2", "w3 w3 w11", "w0");

    @TempDir
    static Path temp;

    private static SentenceTransformer model;
    private static EmbeddingModel adapter;

    @BeforeAll
    static void load() {
        model = SentenceTransformer.load(RouterFolders.queryDocument(temp.resolve("router"), "query").toString());
        adapter = Sentence4jEmbeddingModel.builder(model).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void documentsTakeTheDocumentRouteAndStringsTheDefault() {
        List<Document> documents = TEXTS.stream().map(Document::new).toList();
        // Two batches, so the vectors are shown to come back in the documents' order across batches.
        BatchingStrategy twoBatches = all -> List.of(all.subList(0, 2), all.subList(2, all.size()));

        float[][] batched = adapter.embed(documents, EmbeddingOptions.builder().build(), twoBatches).toArray(float[][]::new);
        float[][] strings = adapter.embed(TEXTS).toArray(float[][]::new);

        float[][] expectedDocuments = model.encodeDocument(TEXTS);
        assertClose(batched, expectedDocuments, 1e-6);
        assertClose(new float[][] {adapter.embed(documents.get(1))}, new float[][] {expectedDocuments[1]}, 1e-6);
        assertClose(strings, model.encodeQuery(TEXTS), 1e-6);
        assertClose(new float[][] {adapter.embed(TEXTS.get(0))}, new float[][] {model.encode(TEXTS.get(0))}, 1e-6);
        assertThat(strings[0]).isNotEqualTo(batched[0]);
    }
}
