package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.ModelFolders;
import dev.sentence4j.RankedText;
import dev.sentence4j.hub.FakeHub;
import dev.sentence4j.hub.Hub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download}, then the other commands on the downloaded model, against a fake Hub on loopback. */
class DownloadCommandTest {
    private static final String REPO = "test-org/all-MiniLM-L6-v2";
    private static final String RERANKER = "test-org/cross-encoder-bert";
    private static final String WITH_INT8 = "test-org/seed-bert-mean";

    @TempDir
    static Path temp;
    private static FakeHub server;
    private static String commit;

    @BeforeAll
    static void serve() {
        server = FakeHub.start();
        commit = server.repo(REPO).commit().folder(ModelFolders.miniLm(temp, "served"))
                .file("README.md", "# all-MiniLM-L6-v2").push("main");
        server.repo(RERANKER).commit().folder(Shared.path(RerankCommandTest.MODEL)).push("main");
        // The int8 export's bytes do not matter here: which file is fetched does.
        Path seed = Shared.path("fixtures/st6/models/seed-bert-mean");
        server.repo(WITH_INT8).commit().folder(seed).file("onnx/model_quantized.onnx", seed.resolve("onnx/model.onnx")).push("main");
        server.repo("test-org/private").privateWithToken("s3cret").commit().file("README.md", "private").push("main");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void downloadsOnceThenEveryCommandRunsTheModelOffline() {
        Path cache = temp.resolve("cache");

        CommandRun download = CommandRun.withHub(server.client(cache), "download", REPO, "--revision", "main");

        assertThat(download.status()).as(download.err()).isZero();
        assertThat(download.outLines()).containsExactly(
                cache.resolve("models--test-org--all-MiniLM-L6-v2/snapshots/" + commit).toString());
        assertThat(download.errLines()).first().asString().matches("downloading onnx/model.onnx of " + REPO + " \\(\\d+\\.\\d MB\\)");
        assertThat(download.errLines()).anyMatch(line -> line.startsWith("downloaded ")).noneMatch(line -> line.startsWith("sentence4j:"));
        assertThat(server.requestsFor("README.md")).isEmpty();

        server.clearRequests();
        Hub offline = server.client(cache).withOffline(true);
        CommandRun similarity = CommandRun.withHub(offline, "similarity", "--model", REPO,
                "--input", Shared.arg("data/seed-sentences.txt"));
        CommandRun info = CommandRun.withHub(offline, "info", "--model", REPO, "--revision", commit);

        assertThat(similarity.status()).as(similarity.err()).isZero();
        // The reference cosine of seed sentence 1 against sentence 3, the paraphrase, ranked first.
        assertThat(similarity.outLines().get(1)).startsWith("0.4764  ");
        assertThat(similarity.err()).isEmpty();
        assertThat(info.status()).as(info.err()).isZero();
        assertThat(info.outLines()).contains("model: " + REPO, "source: " + REPO, "dimension: 384");
        assertThat(server.requests()).isEmpty();
    }

    /** download loads the model by its family's class: a cross-encoder is checked as one, then reranks offline. */
    @Test
    void downloadsAModelOfAnyFamily() throws Exception {
        Path cache = temp.resolve("reranker-cache");

        CommandRun download = CommandRun.withHub(server.client(cache), "download", RERANKER);
        Path texts = Files.write(temp.resolve("texts.txt"), List.of("A man is eating food.", "The cat sleeps."));
        CommandRun rerank = CommandRun.withHub(server.client(cache).withOffline(true), "rerank", "--model", RERANKER,
                "--query", "Who eats?", "--input", texts.toString(), "--format", "json");

        assertThat(download.status()).as(download.err()).isZero();
        assertThat(download.outLines()).singleElement().asString().startsWith(
                cache.resolve("models--test-org--cross-encoder-bert/snapshots/").toString());
        assertThat(rerank.status()).as(rerank.err()).isZero();
        try (CrossEncoder model = CrossEncoder.load(Shared.arg(RerankCommandTest.MODEL))) {
            List<RankedText> expected = model.rank("Who eats?", Files.readAllLines(texts), 2);
            JsonNode ranked = new ObjectMapper().readTree(rerank.out());
            for (int r = 0; r < expected.size(); r++) {
                assertThat(ranked.get(r).get("index").asInt()).isEqualTo(expected.get(r).index());
            }
        }
    }

    /** --quantized fetches the int8 export and not the float32 one; without it, the other way round. */
    @Test
    void quantizedFetchesTheInt8ExportInstead() throws IOException {
        CommandRun quantized = CommandRun.withHub(server.client(temp.resolve("int8-cache")), "download", WITH_INT8, "--quantized");
        CommandRun plain = CommandRun.withHub(server.client(temp.resolve("float32-cache")), "download", WITH_INT8);

        assertThat(quantized.status()).as(quantized.err()).isZero();
        Path int8 = Path.of(quantized.outLines().get(0));
        assertThat(int8.resolve("onnx/model_quantized.onnx")).exists();
        assertThat(int8.resolve("onnx/model.onnx")).doesNotExist();
        assertThat(plain.status()).as(plain.err()).isZero();
        Path float32 = Path.of(plain.outLines().get(0));
        assertThat(float32.resolve("onnx/model.onnx")).exists();
        assertThat(float32.resolve("onnx/model_quantized.onnx")).doesNotExist();
    }

    @Test
    void failuresAreOneLine() {
        Hub hub = server.client(temp.resolve("failures-cache"));

        assertThat(CommandRun.withHub(hub, "download", "test-org/private").errLines()).singleElement().asString()
                .startsWith("sentence4j: test-org/private is private or gated, or does not exist (HTTP 401")
                .contains("set HF_TOKEN");
        assertThat(CommandRun.withHub(hub, "download", REPO, "--revision", "v9").errLines())
                .containsExactly("sentence4j: " + REPO + " has no revision 'v9' (a branch, tag or commit) on " + server.endpoint());
        assertThat(CommandRun.withHub(hub.withOffline(true), "download", REPO).errLines()).singleElement().asString()
                .startsWith("sentence4j: " + REPO + " at revision main is not in the Hugging Face cache");
        CommandRun notAnId = CommandRun.withHub(hub, "download", "./models/minilm");
        assertThat(notAnId.status()).isEqualTo(1);
        assertThat(notAnId.errLines()).containsExactly("sentence4j: './models/minilm' is not a Hugging Face model id (owner/name)");
        assertThat(Files.exists(temp.resolve("failures-cache/models--test-org--all-MiniLM-L6-v2/blobs"))).isFalse();
    }
}
