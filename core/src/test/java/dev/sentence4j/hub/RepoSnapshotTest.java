package dev.sentence4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads of a small repository from a {@link FakeHub}: the cache layout, revisions, errors and faults. */
class RepoSnapshotTest {
    private static final String REPO = "test-org/tiny";
    private static final byte[] WEIGHTS = randomBytes(3_000_000);
    private static FakeHub server;
    private static String main;
    private static String v1;

    @TempDir
    Path cache;

    @BeforeAll
    static void serve() {
        server = FakeHub.start();
        main = server.repo(REPO).commit()
                .file("config.json", "{\"hidden_size\": 4}")
                .file("sub/dir/notes.txt", "deep")
                .file("weights.bin", WEIGHTS)
                .push("main");
        v1 = server.repo(REPO).commit()
                .file("config.json", "{\"hidden_size\": 2}")
                .file("weights.bin", WEIGHTS)
                .push("v1", "refs/pr/1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private Path repoFolder() {
        return cache.resolve("models--test-org--tiny");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    @Test
    void downloadsIntoTheLayoutOfHuggingfaceHub() throws Exception {
        RepoSnapshot snapshot = server.client(cache).open(REPO, null);
        Path notes = snapshot.file("sub/dir/notes.txt");
        Path weights = snapshot.file("weights.bin");

        assertThat(snapshot.commit()).isEqualTo(main);
        assertThat(Files.readString(repoFolder().resolve("refs/main"))).isEqualTo(main);
        String notesBlob = FakeHub.gitSha1("deep".getBytes(StandardCharsets.UTF_8));
        assertThat(notes).isEqualTo(repoFolder().resolve("snapshots/" + main + "/sub/dir/notes.txt"));
        assertThat(Files.isSymbolicLink(notes)).isTrue();
        assertThat(Files.readSymbolicLink(notes)).hasToString("../../../../blobs/" + notesBlob);
        assertThat(Files.readString(notes)).isEqualTo("deep");
        assertThat(Files.readSymbolicLink(weights)).hasToString("../../blobs/" + sha256(WEIGHTS));
        assertThat(Files.readAllBytes(repoFolder().resolve("blobs/" + sha256(WEIGHTS)))).isEqualTo(WEIGHTS);
        assertThat(cache.resolve(".locks/models--test-org--tiny/" + sha256(WEIGHTS) + ".lock")).exists();
        assertThat(filesUnder(repoFolder())).noneMatch(p -> p.toString().endsWith(".incomplete") || p.toString().endsWith(".tmp"));
    }

    @Test
    void aSecondOpenReadsTheCacheWithoutARequest() {
        server.client(cache).open(REPO, null).file("config.json");
        server.clearRequests();

        RepoSnapshot again = server.client(cache).open(REPO, null);

        assertThat(again.file("config.json")).hasContent("{\"hidden_size\": 4}");
        assertThat(again.listedFiles()).isEmpty();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aFileTheRepositoryLacksIsRememberedAsAbsent() {
        RepoSnapshot snapshot = server.client(cache).open(REPO, null);

        assertThat(snapshot.has("adapter_config.json")).isFalse();
        assertThat(repoFolder().resolve(".no_exist/" + main + "/adapter_config.json")).exists().isEmptyFile();
        assertThatThrownBy(() -> snapshot.file("adapter_config.json")).isInstanceOf(HubException.class)
                .hasMessage(REPO + " has no file adapter_config.json at revision main (commit " + main + ")");

        snapshot.file("config.json");
        server.clearRequests();
        assertThat(server.client(cache).open(REPO, null).has("adapter_config.json")).isFalse();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void theHubAnswers404ForAFileItDoesNotHave() {
        HubHttp http = new HubHttp(server.endpoint(), null);

        assertThatThrownBy(() -> http.download(REPO, main, "missing.json", 0)).isInstanceOf(HubException.class)
                .hasMessage(REPO + " has no file missing.json at revision " + main + " on " + server.endpoint());
    }

    @Test
    void aBranchOrTagIsPinnedAndRecordedAndACommitNeedsNoRef() throws IOException {
        RepoSnapshot tag = server.client(cache).open(REPO, "v1");
        assertThat(tag.commit()).isEqualTo(v1);
        assertThat(tag.file("config.json")).hasContent("{\"hidden_size\": 2}");
        assertThat(Files.readString(repoFolder().resolve("refs/v1"))).isEqualTo(v1);
        assertThat(tag.has("sub/dir/notes.txt")).isFalse();

        RepoSnapshot pullRequest = server.client(cache).open(REPO, "refs/pr/1");
        assertThat(pullRequest.commit()).isEqualTo(v1);
        assertThat(Files.readString(repoFolder().resolve("refs/refs/pr/1"))).isEqualTo(v1);

        RepoSnapshot commit = server.client(cache).open(REPO, main);
        assertThat(commit.file("config.json")).hasContent("{\"hidden_size\": 4}");
        try (Stream<Path> refs = Files.list(repoFolder().resolve("refs"))) {
            assertThat(refs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("v1", "refs");
        }
    }

    @Test
    void unknownRepositoriesAndRevisionsAreNamed() {
        Hub hub = server.client(cache);

        assertThatThrownBy(() -> hub.open("test-org/none", null)).isInstanceOf(HubException.class)
                .hasMessage("no model repository test-org/none on " + server.endpoint() + "; check the id");
        assertThatThrownBy(() -> hub.open(REPO, "v9")).isInstanceOf(HubException.class)
                .hasMessage(REPO + " has no revision 'v9' (a branch, tag or commit) on " + server.endpoint());
        assertThatThrownBy(() -> hub.open("not a/valid/id", null)).isInstanceOf(HubException.class)
                .hasMessageContaining("is not a Hugging Face model id");
        assertThatThrownBy(() -> hub.open(REPO, "../../escape")).isInstanceOf(HubException.class)
                .hasMessageContaining("is not a valid file path or revision");
    }

    @Test
    void aPrivateRepositoryNeedsTheToken() {
        server.repo("test-org/private").privateWithToken("s3cret").commit().file("weights.bin", WEIGHTS).push("main");

        assertThatThrownBy(() -> server.client(cache).open("test-org/private", null)).isInstanceOf(HubException.class)
                .hasMessageStartingWith("test-org/private is private or gated, or does not exist (HTTP 401")
                .hasMessageContaining("set HF_TOKEN");
        // The CDN refuses requests that carry the token, so this also checks the redirect drops it.
        Path weights = server.client(cache).withToken("s3cret").open("test-org/private", null).file("weights.bin");
        assertThat(weights).hasBinaryContent(WEIGHTS);
        assertThat(server.requestsFor("/test-org/private/resolve/")).isNotEmpty()
                .allMatch(r -> "Bearer s3cret".equals(r.authorization()));
    }

    @Test
    void aGatedRepositoryRefusesAWrongToken() {
        server.repo("test-org/gated").gatedWithToken("granted").commit().file("config.json", "{}").push("main");

        assertThatThrownBy(() -> server.client(cache).withToken("other").open("test-org/gated", null))
                .isInstanceOf(HubException.class)
                .hasMessageStartingWith("test-org/gated is private or gated (HTTP 403")
                .hasMessageContaining("the token sent cannot read it");
    }

    @Test
    void aDroppedConnectionResumesWhereItStopped() throws Exception {
        server.dropDownloads("weights.bin", 1);
        server.clearRequests();

        Path weights = server.client(cache).open(REPO, null).file("weights.bin");

        assertThat(weights).hasBinaryContent(WEIGHTS);
        List<FakeHub.Request> downloads = server.requestsFor("/cdn/");
        assertThat(downloads).hasSize(2);
        assertThat(downloads.get(0).range()).isNull();
        assertThat(downloads.get(1).range()).isEqualTo("bytes=" + WEIGHTS.length / 2 + "-");
        assertThat(repoFolder().resolve("blobs/" + sha256(WEIGHTS) + ".incomplete")).doesNotExist();
    }

    @Test
    void aDownloadThatKeepsFailingLeavesNoFileThatLooksComplete() throws Exception {
        server.dropDownloads("weights.bin", 3);
        RepoSnapshot snapshot = server.client(cache).open(REPO, null);
        Path blob = repoFolder().resolve("blobs/" + sha256(WEIGHTS));
        Path partial = repoFolder().resolve("blobs/" + sha256(WEIGHTS) + ".incomplete");

        assertThatThrownBy(() -> snapshot.file("weights.bin")).isInstanceOf(HubException.class)
                .hasMessageContaining("downloading weights.bin of " + REPO + " failed 3 times")
                .hasMessageContaining("kept in " + partial);
        assertThat(blob).doesNotExist();
        assertThat(snapshot.folder().resolve("weights.bin")).doesNotExist();
        long kept = Files.size(partial);
        assertThat(kept).isBetween(1L, WEIGHTS.length - 1L);

        server.clearRequests();
        assertThat(snapshot.file("weights.bin")).hasBinaryContent(WEIGHTS);
        assertThat(server.requestsFor("/cdn/")).extracting(FakeHub.Request::range).containsExactly("bytes=" + kept + "-");
        assertThat(partial).doesNotExist();
    }

    @Test
    void corruptContentIsRejectedAndNotKept() {
        server.repo("test-org/corrupt").commit().file("vocab.txt", "a\nb\n").push("main");
        server.corruptDownloads("vocab.txt");
        RepoSnapshot snapshot = server.client(cache).open("test-org/corrupt", null);

        assertThatThrownBy(() -> snapshot.file("vocab.txt")).isInstanceOf(HubException.class)
                .hasMessageContaining("the download of vocab.txt of test-org/corrupt")
                .hasMessageContaining("is corrupt: its SHA-1 is");
        assertThat(cache.resolve("models--test-org--corrupt/blobs")).isEmptyDirectory();
        assertThat(snapshot.folder().resolve("vocab.txt")).doesNotExist();
    }

    @Test
    void offlineOnlyTheCacheAnswersAndNothingReachesTheNetwork() {
        server.client(cache).open(REPO, null).file("config.json");
        server.clearRequests();
        Hub offline = server.client(cache).withOffline(true);

        RepoSnapshot snapshot = offline.open(REPO, null);
        assertThat(snapshot.file("config.json")).hasContent("{\"hidden_size\": 4}");
        assertThatThrownBy(() -> snapshot.file("weights.bin")).isInstanceOf(HubException.class)
                .hasMessage("weights.bin of " + REPO + " at revision main is not in the Hugging Face cache ("
                        + snapshot.folder() + " lacks it) and offline mode is on (HF_HUB_OFFLINE): load the model once online");
        assertThatThrownBy(() -> offline.open(REPO, "v1")).isInstanceOf(HubException.class)
                .hasMessageContaining(repoFolder() + " has no refs/v1");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anUnreachableHubIsNamedAndTheCacheStillServes() throws IOException {
        server.client(cache).open(REPO, null).file("config.json");
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        Hub unreachable = server.client(cache).withEndpoint(closed);

        assertThat(unreachable.open(REPO, null).file("config.json")).hasContent("{\"hidden_size\": 4}");
        assertThatThrownBy(() -> unreachable.open(REPO, null).file("weights.bin")).isInstanceOf(HubException.class)
                .hasMessageStartingWith("cannot reach the Hugging Face Hub at " + closed + " for the files of " + REPO)
                .hasMessageContaining("connection refused");
        assertThatThrownBy(() -> unreachable.open(REPO, "v1")).isInstanceOf(HubException.class)
                .hasMessageStartingWith("cannot reach the Hugging Face Hub at " + closed);
    }

    @Test
    void withoutSizesInTheListingEachFileIsAskedFor() throws Exception {
        server.repo("test-org/plain").withoutBlobMetadata().commit()
                .file("config.json", "{}").file("weights.bin", WEIGHTS).push("main");
        RepoSnapshot snapshot = server.client(cache).open("test-org/plain", null);

        assertThat(snapshot.file("config.json")).hasContent("{}");
        assertThat(snapshot.file("weights.bin")).hasBinaryContent(WEIGHTS);
        Path blobs = cache.resolve("models--test-org--plain/blobs");
        assertThat(blobs.resolve(FakeHub.gitSha1("{}".getBytes(StandardCharsets.UTF_8)))).exists();
        assertThat(blobs.resolve(sha256(WEIGHTS))).exists();
        assertThat(server.requests()).anyMatch(r -> r.method().equals("HEAD") && r.path().endsWith("/weights.bin"));
    }

    @Test
    void theListenerHearsEachDownload() {
        List<String> events = new ArrayList<>();
        List<Long> done = new ArrayList<>();
        Hub hub = server.client(cache).withListener(new DownloadListener() {
            @Override
            public void started(FileDownload file, long already) {
                events.add("started " + file.path() + " " + file.size() + " from " + already);
            }

            @Override
            public void progressed(FileDownload file, long bytes) {
                done.add(bytes);
            }

            @Override
            public void ended(FileDownload file) {
                events.add("ended " + file.path());
            }
        });

        RepoSnapshot snapshot = hub.open(REPO, null);
        snapshot.file("weights.bin");
        snapshot.file("weights.bin");

        assertThat(events).containsExactly("started weights.bin " + WEIGHTS.length + " from 0", "ended weights.bin");
        assertThat(done).isSorted().startsWith(0L).endsWith((long) WEIGHTS.length);
    }
}
