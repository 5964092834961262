package dev.sentence4j.server;

import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Vectors served over HTTP reproduce the reference files computed outside this project. */
class ReferenceVectorsTest {

    @Test
    void bothRoutesServeTheStsbReferenceVectors() throws IOException {
        List<String> texts = Shared.lines("reference/stsb-dev-sample.txt");
        float[][] expected = reference("stsb-dev-sample", Shared.MINILM);
        try (EmbeddingServer server = start(Shared.MINILM)) {
            Http http = new Http(server.uri());
            List<float[]> tei = new ArrayList<>();
            List<float[]> openAi = new ArrayList<>();
            // Requests of at most 32 texts, the default limit.
            for (int from = 0; from < texts.size(); from += ServerOptions.DEFAULT_MAX_CLIENT_BATCH_SIZE) {
                List<String> chunk = texts.subList(from, Math.min(texts.size(), from + ServerOptions.DEFAULT_MAX_CLIENT_BATCH_SIZE));
                for (float[] vector : Vectors.rows(http.post("/embed", Map.of("inputs", chunk)).json())) {
                    tei.add(vector);
                }
                http.post("/v1/embeddings", Map.of("input", chunk, "encoding_format", "base64")).json().get("data")
                        .forEach(item -> openAi.add(Vectors.fromBase64(item.get("embedding").asText())));
            }
            Vectors.assertClose(tei.toArray(float[][]::new), expected);
            Vectors.assertClose(openAi.toArray(float[][]::new), expected);
        }
    }

    /**
     * bge lowercases its input and takes 512 tokens; the edge cases are accents, CJK, emoji and paragraphs
     * to cut. On the Greek line, whose word-final capital sigmas sentence-transformers 6 lowercases letter
     * by letter where the 5.x reference lowercased the whole text, the served vector is the one the model
     * gives in process (checked against 6.x's lowercasing in core's ReferenceVectorsTest).
     */
    @Test
    void aLowercasingModelServesItsReferenceVectorsLongInputsCut() throws IOException {
        List<String> texts = Shared.lines("reference/edge-cases.txt");
        float[][] expected = reference("edge-cases", Shared.BGE);
        int greek = IntStream.range(0, texts.size()).filter(i -> texts.get(i).contains("\u03a3")).findFirst().orElseThrow();
        expected[greek] = TestModels.get(Shared.BGE).encode(texts.get(greek));
        try (EmbeddingServer server = start(Shared.BGE)) {
            Http.Reply reply = new Http(server.uri()).post("/embed", Map.of("inputs", texts, "truncate", true));

            Vectors.assertClose(Vectors.rows(reply.json()), expected);
        }
    }

    private static EmbeddingServer start(String modelId) throws IOException {
        return EmbeddingServer.start(TestModels.get(modelId), TestServer.loopback());
    }

    private static float[][] reference(String set, String modelId) throws IOException {
        return Npy.read(Shared.path("reference/" + set + "." + Shared.shortName(modelId) + ".npy"));
    }
}
