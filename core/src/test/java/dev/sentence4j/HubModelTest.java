package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.hub.FakeHub;
import dev.sentence4j.hub.Hub;
import dev.sentence4j.io.Npy;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models loaded by Hub id from a {@link FakeHub} serving the real all-MiniLM-L6-v2 files. The model is
 * downloaded once, in {@link #downloadOnce}, and its cache shared by the tests that read it.
 */
class HubModelTest {
    private static final String REPO = "test-org/all-MiniLM-L6-v2";
    private static final LoadOptions NO_GRAPH_CACHE = LoadOptions.defaults().withCacheDirectory(null);
    /** The model's modules without Normalize: vectors come out as pooled, not unit length. */
    private static final String UNNORMALIZED_MODULES = "[{\"idx\":0,\"name\":\"0\",\"path\":\"\","
            + "\"type\":\"sentence_transformers.models.Transformer\"},{\"idx\":1,\"name\":\"1\","
            + "\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}]";

    @TempDir
    static Path temp;
    private static FakeHub server;
    private static Path served;
    private static Path cache;
    private static String mainCommit;
    private static String v1Commit;
    private static List<String> seeds;
    private static float[][] reference;
    private static List<FakeHub.Request> firstLoad;
    private static float[][] firstVectors;

    @BeforeAll
    static void downloadOnce() throws IOException {
        seeds = Shared.lines("data/seed-sentences.txt");
        reference = ReferenceVectorsTest.reference(Shared.MINILM, "seed-sentences");
        served = ModelFolders.miniLm(temp, "served");
        server = FakeHub.start();
        mainCommit = server.repo(REPO).commit().folder(served)
                .file("README.md", "# all-MiniLM-L6-v2")
                .file("vocab.txt", "[PAD]\n[UNK]\n")
                .file("pytorch_model.bin", new byte[1024])
                .file("model.safetensors", new byte[2048])
                .file("onnx/model_quantized.onnx", new byte[4096])
                .push("main");
        v1Commit = server.repo(REPO).commit().folder(served).file("modules.json", UNNORMALIZED_MODULES).push("v1");
        cache = temp.resolve("hub-cache");
        server.dropDownloads("onnx/model.onnx", 1);

        try (SentenceTransformer model = load(server.client(cache), null)) {
            firstVectors = model.encode(seeds);
        }
        firstLoad = server.requests();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SentenceTransformer load(Hub hub, String revision) {
        return load(hub, revision, NO_GRAPH_CACHE);
    }

    private static SentenceTransformer load(Hub hub, String revision, LoadOptions options) {
        return SentenceTransformer.load(ModelFiles.resolve(REPO, revision, hub), options);
    }

    private static Path repoFolder(Path cacheFolder, String repo) {
        return cacheFolder.resolve("models--" + repo.replace("/", "--"));
    }

    @Test
    void theFirstLoadDownloadsOnlyWhatTheModelReadsAndGivesTheReferenceVectors() throws IOException {
        assertClose(firstVectors, reference, REFERENCE_TOLERANCE, seeds);

        List<String> fetched = firstLoad.stream().map(FakeHub.Request::path)
                .filter(p -> p.contains("/resolve/")).map(p -> p.substring(p.indexOf(mainCommit) + 41)).distinct().toList();
        // What sentence4j reads, and what Python's sentence-transformers reads besides to load the snapshot offline.
        assertThat(fetched).containsExactlyInAnyOrder("modules.json", "sentence_bert_config.json", "1_Pooling/config.json",
                "config_sentence_transformers.json", "onnx/model.onnx", "tokenizer.json",
                "config.json", "tokenizer_config.json", "special_tokens_map.json");
        // The ONNX download was dropped halfway once, then resumed from where it stopped.
        List<FakeHub.Request> onnx = firstLoad.stream().filter(r -> r.path().startsWith("/cdn/")).toList();
        assertThat(onnx).hasSize(2);
        assertThat(onnx.get(1).range()).isEqualTo("bytes=" + Files.size(served.resolve("onnx/model.onnx")) / 2 + "-");

        Path repo = repoFolder(cache, REPO);
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(mainCommit);
        Path onnxLink = repo.resolve("snapshots/" + mainCommit + "/onnx/model.onnx");
        assertThat(Files.readSymbolicLink(onnxLink).toString()).matches("\\.\\./\\.\\./\\.\\./blobs/[0-9a-f]{64}");
        assertThat(onnxLink).hasSameBinaryContentAs(served.resolve("onnx/model.onnx"));
        try (Stream<Path> blobs = Files.list(repo.resolve("blobs"))) {
            assertThat(blobs).noneMatch(p -> p.toString().endsWith(".incomplete"));
        }
    }

    @Test
    void aSecondLoadMakesNoRequest() {
        server.clearRequests();

        try (SentenceTransformer model = load(server.client(cache), null)) {
            assertThat(model.encode(seeds)).isDeepEqualTo(firstVectors);
            assertThat(model.name()).isEqualTo(REPO);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void offlineTheCacheIsEnough() {
        server.clearRequests();

        try (SentenceTransformer model = load(server.client(cache).withOffline(true), null)) {
            assertClose(model.encode(seeds), reference, REFERENCE_TOLERANCE, seeds);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void offlineWithoutTheModelItSaysWhatIsMissing() {
        Path empty = temp.resolve("empty-cache");
        assertThatThrownBy(() -> load(server.client(empty).withOffline(true), null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(REPO + " at revision main is not in the Hugging Face cache (" + repoFolder(empty, REPO)
                        + " has no refs/main) and offline mode is on (HF_HUB_OFFLINE): load the model once online");

        Path configsOnly = temp.resolve("configs-only-cache");
        var snapshot = server.client(configsOnly).open(REPO, null);
        for (String config : List.of("modules.json", "sentence_bert_config.json", "1_Pooling/config.json",
                "config_sentence_transformers.json")) {
            snapshot.file(config);
        }
        server.clearRequests();
        assertThatThrownBy(() -> load(server.client(configsOnly).withOffline(true), null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("onnx/model.onnx of " + REPO + " at revision main is not in the Hugging Face cache ("
                        + snapshot.folder() + " lacks it) and offline mode is on (HF_HUB_OFFLINE): load the model once online");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aPinnedRevisionLoadsItsOwnFilesAndReusesTheSameBlobs() throws IOException {
        server.clearRequests();
        try (SentenceTransformer model = load(server.client(cache), "v1")) {
            float[][] vectors = model.encode(seeds);
            assertThat(model.normalizes()).isFalse();
            assertThat(Normalize.norm(vectors[0])).isGreaterThan(1.5);
            assertClose(Normalize.l2(vectors), reference, REFERENCE_TOLERANCE, seeds);
        }
        // Only modules.json differs from main; the other files' blobs are already cached.
        assertThat(server.requests()).filteredOn(r -> !r.path().startsWith("/api/"))
                .extracting(FakeHub.Request::path).containsExactly("/" + REPO + "/resolve/" + v1Commit + "/modules.json");
        assertThat(Files.readString(repoFolder(cache, REPO).resolve("refs/v1"))).isEqualTo(v1Commit);

        server.clearRequests();
        try (SentenceTransformer byCommit = load(server.client(cache), v1Commit)) {
            assertThat(byCommit.normalizes()).isFalse();
        }
        assertThat(server.requests()).isEmpty();
    }

    /** The options' revision and Hub settings find the model by id; files found at another revision are refused. */
    @Test
    void loadOptionsCarryTheRevisionAndTheHub() {
        // A cache of its own, so as not to fetch v1's files for the tests that count requests.
        Path ownCache = temp.resolve("options-cache");
        LoadOptions atV1 = NO_GRAPH_CACHE.withHub(server.client(ownCache)).withRevision("v1");
        try (SentenceTransformer byId = SentenceTransformer.load(REPO, atV1)) {
            assertThat(byId.files().revision()).contains("v1");
            assertThat(byId.normalizes()).isFalse();
        }
        ModelFiles main = ModelFiles.resolve(REPO, null, server.client(ownCache));

        assertThatThrownBy(() -> SentenceTransformer.load(main, atV1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the options ask for revision 'v1' but the files of " + REPO + " are at revision 'main'; find them"
                        + " at that revision with ModelFiles.resolve(id, revision, hub), or load by id");
        assertThatThrownBy(() -> SentenceTransformer.load(ModelFiles.folder(served), atV1))
                .hasMessageContaining("the files of " + served.toAbsolutePath().normalize() + " have no revision");
    }

    @Test
    void itReadsACacheThatHuggingfaceHubWrote() throws Exception {
        Path pythonCache = temp.resolve("python-cache");
        Path repo = pythonCache.resolve("models--test-org--python-cached");
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        try (Stream<Path> files = Files.walk(served)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = served.relativize(file).toString();
                String etag = path.endsWith(".onnx") ? sha256(file) : gitBlobSha1(Files.readAllBytes(file));
                Path blob = repo.resolve("blobs").resolve(etag);
                Files.createDirectories(blob.getParent());
                Files.createLink(blob, file);
                Path link = snapshot.resolve(path);
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, link.getParent().relativize(blob));
            }
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        Files.createDirectories(repo.resolve(".no_exist").resolve(commit));
        Files.createFile(repo.resolve(".no_exist").resolve(commit).resolve("adapter_config.json"));
        List<Path> before = tree(pythonCache);
        server.clearRequests();

        // Online, but the Hub has never heard of it: the cache alone answers.
        for (Hub hub : List.of(server.client(pythonCache).withOffline(true), server.client(pythonCache))) {
            try (SentenceTransformer model = SentenceTransformer.load(
                    ModelFiles.resolve("test-org/python-cached", null, hub), NO_GRAPH_CACHE)) {
                assertClose(model.encode(seeds), reference, REFERENCE_TOLERANCE, seeds);
                assertThat(model.files().describe(model.onnxFile())).contains(snapshot.resolve("onnx/model.onnx").toString());
            }
        }
        assertThat(server.requests()).isEmpty();
        assertThat(tree(pythonCache)).isEqualTo(before);
    }

    @Test
    void theQuantizedChoiceDownloadsOnlyTheInt8Export() throws IOException {
        Path int8 = temp.resolve("all-minilm-l6-v2-q.onnx");
        try (InputStream in = HubModelTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
            Files.copy(in, int8);
        }
        server.repo("test-org/minilm-int8").commit().folder(served).file("onnx/model_quantized.onnx", int8).push("main");
        server.clearRequests();

        try (SentenceTransformer model = SentenceTransformer.load(
                ModelFiles.resolve("test-org/minilm-int8", null, server.client(cache)), NO_GRAPH_CACHE.withQuantized(true))) {
            assertThat(model.onnxFile()).isEqualTo("onnx/model_quantized.onnx");
            // Measured: cosines 0.990 at worst, 0.992 on average.
            VectorAssertions.assertInt8Ran(model.encode(seeds), reference, 0.985, 0.988);
        }
        assertThat(server.requestsFor("/resolve/")).extracting(FakeHub.Request::path)
                .anyMatch(p -> p.endsWith("/onnx/model_quantized.onnx")).noneMatch(p -> p.endsWith("/onnx/model.onnx"));
    }

    @Test
    void aRepositoryWithoutAnOnnxExportRunsItsCheckpointDownloadingOnlyThat() throws IOException {
        // A tiny st6 fixture as sentence-transformers 6 saved it, its ONNX export left out.
        server.repo("test-org/safetensors-only").commit().folder(Shared.path("fixtures/st6/models/seed-bert-mean"))
                .without("onnx/model.onnx").file("pytorch_model.bin", new byte[512]).push("main");
        server.clearRequests();
        List<String> texts = Shared.lines("fixtures/st6/public.txt");

        try (SentenceTransformer model = SentenceTransformer.load(
                ModelFiles.resolve("test-org/safetensors-only", null, server.client(cache)), NO_GRAPH_CACHE)) {
            assertThat(model.transformer().builtFromCheckpoint()).isTrue();
            assertThat(model.onnxFile()).isEqualTo("model.safetensors");
            assertClose(model.encode(texts), Npy.read(Shared.path("fixtures/st6/reference/seed-bert-mean.public.npy")),
                    REFERENCE_TOLERANCE, texts);
        }
        assertThat(server.requestsFor("/resolve/")).extracting(FakeHub.Request::path)
                .anyMatch(p -> p.endsWith("/model.safetensors")).noneMatch(p -> p.endsWith("/pytorch_model.bin"));
    }

    @Test
    void aRepositoryWithNeitherAnOnnxExportNorACheckpointSaysSoAndNamesItsFiles() {
        server.repo("test-org/tf-only").commit().folder(served).without("onnx/model.onnx")
                .file("tf_model.h5", new byte[512]).push("main");

        assertThatThrownBy(() -> SentenceTransformer.load(ModelFiles.resolve("test-org/tf-only", null, server.client(cache)),
                NO_GRAPH_CACHE))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("test-org/tf-only has no ONNX file (looked for onnx/model.onnx, model.onnx) and no checkpoint"
                        + " (looked for model.safetensors, model.safetensors.index.json, pytorch_model.bin,"
                        + " pytorch_model.bin.index.json); it has 1_Pooling/config.json, config.json,"
                        + " config_sentence_transformers.json, modules.json, sentence_bert_config.json, special_tokens_map.json,"
                        + " tf_model.h5, tokenizer.json, tokenizer_config.json. Export it to ONNX, or name the file to use");
    }

    @Test
    void anOnnxFileComesWithItsExternalData() throws IOException {
        server.repo("test-org/external").commit()
                .file("onnx/model.onnx", "graph".getBytes(StandardCharsets.UTF_8))
                .file("onnx/model.onnx_data", "weights".getBytes(StandardCharsets.UTF_8))
                .file("onnx/other.onnx", "other".getBytes(StandardCharsets.UTF_8))
                .push("main");
        ModelFiles files = ModelFiles.hub(server.client(cache).open("test-org/external", null));

        Path onnx = files.localPath("onnx/model.onnx").orElseThrow();

        assertThat(onnx.resolveSibling("model.onnx_data")).hasContent("weights");
        assertThat(onnx.resolveSibling("other.onnx")).doesNotExist();
    }

    @Test
    void folderThenBuiltinThenCacheThenHub() {
        Hub offlineEmpty = server.client(temp.resolve("never-written")).withOffline(true);

        assertThat(ModelFiles.resolve(served.toString(), null, offlineEmpty).name()).isEqualTo(served.toString());
        assertThat(ModelFiles.resolve("all-MiniLM-L6-v2", null, offlineEmpty).describe("modules.json"))
                .contains("built-in model " + Shared.MINILM);
        // A revision is only the Hub's: the built-in model is passed over, a bare name gets its organisation.
        assertThatThrownBy(() -> ModelFiles.resolve("all-MiniLM-L6-v2", "main", offlineEmpty))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(Shared.MINILM + " at revision main is not in the Hugging Face cache");
        assertThatThrownBy(() -> ModelFiles.resolve(served.toString(), "v1", offlineEmpty))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("is a local folder, which has no revision 'v1'");
        assertThatThrownBy(() -> ModelFiles.resolve("./no/such/folder", null, offlineEmpty))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("is not a Hugging Face model id");
    }

    @Test
    void anUnreachableHubStillServesACachedModelAndSaysWhatItCannotFetch() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        Hub unreachable = server.client(cache).withEndpoint(closed);

        try (SentenceTransformer model = load(unreachable, null)) {
            assertThat(model.encode(seeds)).isDeepEqualTo(firstVectors);
        }
        assertThatThrownBy(() -> load(unreachable, null, NO_GRAPH_CACHE.withQuantized(true)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("cannot reach the Hugging Face Hub at " + closed + " for the files of " + REPO);
    }

    private static List<Path> tree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.sorted().toList();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String gitBlobSha1(byte[] content) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-1");
        digest.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(digest.digest(content));
    }
}
