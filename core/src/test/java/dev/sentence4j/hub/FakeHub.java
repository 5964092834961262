package dev.sentence4j.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Hugging Face Hub on loopback, for tests: the model API ({@code /api/models/{repo}/revision/{rev}}),
 * {@code resolve} URLs that answer small files themselves and redirect LFS files to a CDN-like
 * {@code /cdn/<sha256>} path (with {@code X-Repo-Commit}, {@code ETag}, {@code X-Linked-Etag},
 * {@code X-Linked-Size}), ranges, the Hub's error codes, private and gated repositories, and faults on
 * demand: a connection dropped mid-file, a download held back, corrupt content. Every request is logged.
 */
public final class FakeHub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([0-9a-f]{64})");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as the server saw it. */
    public record Request(String method, String path, String range, String authorization) {
        @Override
        public String toString() {
            return method + " " + path + (range == null ? "" : " [" + range + "]");
        }
    }

    private final HttpServer server;
    /**
     * The CDN is another host, as the real one is, so clients must not send it the Hub token: 127.0.0.2,
     * which Linux routes to loopback, else another port of 127.0.0.1.
     */
    private final HttpServer cdnServer;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-hub");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, Content> cdn = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    private final AtomicInteger commits = new AtomicInteger();

    private FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdnServer = cdnServer();
        server.createContext("/", exchange -> handle(exchange, false));
        cdnServer.createContext("/", exchange -> handle(exchange, true));
        for (HttpServer each : List.of(server, cdnServer)) {
            each.setExecutor(threads);
            each.start();
        }
    }

    private static HttpServer cdnServer() throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}), 0), 0);
        } catch (IOException notConfigured) {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
    }

    public static FakeHub start() {
        try {
            return new FakeHub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return address(server);
    }

    private static URI address(HttpServer server) {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /** Hub settings for this server and a cache folder of the test's, whatever the environment says. */
    public Hub client(Path cache) {
        return Hub.fromEnvironment().withEndpoint(endpoint()).withCacheDirectory(cache).withToken(null)
                .withOffline(false).withListener(DownloadListener.NONE);
    }

    /** The repository with this id, created empty the first time. */
    public Repo repo(String id) {
        return repos.computeIfAbsent(id, Repo::new);
    }

    /** The requests so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The requests whose path contains {@code text}. */
    public List<Request> requestsFor(String text) {
        return requests.stream().filter(r -> r.path().contains(text)).toList();
    }

    /** The next {@code times} downloads of the file at this path send half of what they should, then hang up. */
    public void dropDownloads(String path, int times) {
        drops.put(path, new AtomicInteger(times));
    }

    /** Downloads of the file at this path wait, after their headers, until the returned latch opens. */
    public CountDownLatch holdDownloads(String path) {
        CountDownLatch latch = new CountDownLatch(1);
        holds.put(path, latch);
        return latch;
    }

    /** Downloads of the file at this path get other bytes than the Hub's listing describes. */
    public void corruptDownloads(String path) {
        corrupt.put(path, true);
    }

    @Override
    public void close() {
        holds.values().forEach(CountDownLatch::countDown);
        server.stop(0);
        cdnServer.stop(0);
        threads.shutdownNow();
    }

    /** A repository: commits of files, branches and tags pointing at them, and who may read it. */
    public final class Repo {
        private final String id;
        private final Map<String, Map<String, Content>> commitFiles = new ConcurrentHashMap<>();
        private final Map<String, String> refs = new ConcurrentHashMap<>();
        private volatile String token;
        private volatile boolean gated;
        private volatile boolean blobMetadata = true;

        private Repo(String id) {
            this.id = id;
        }

        /** Only requests with this token may read it; others get 401, as the Hub answers for private repositories. */
        public Repo privateWithToken(String required) {
            this.token = required;
            return this;
        }

        /** A gated repository: requests without this token get 403 with the code GatedRepo. */
        public Repo gatedWithToken(String required) {
            this.token = required;
            this.gated = true;
            return this;
        }

        /** The model API lists file names only, without sizes and hashes, so clients must ask per file. */
        public Repo withoutBlobMetadata() {
            this.blobMetadata = false;
            return this;
        }

        /** Starts a commit of this repository. */
        public Commit commit() {
            return new Commit(this);
        }
    }

    /** Files to commit to a repository. */
    public final class Commit {
        private final Repo repo;
        private final Map<String, Content> files = new TreeMap<>();

        private Commit(Repo repo) {
            this.repo = repo;
        }

        /** Every file under a folder, at its relative path. */
        public Commit folder(Path folder) {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(Files::isRegularFile).forEach(f -> file(folder.relativize(f).toString().replace('\\', '/'), f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Commit file(String path, Path source) {
            files.put(path, Content.of(path, source));
            return this;
        }

        public Commit file(String path, byte[] bytes) {
            files.put(path, Content.of(path, bytes));
            return this;
        }

        public Commit file(String path, String text) {
            return file(path, text.getBytes(StandardCharsets.UTF_8));
        }

        public Commit without(String path) {
            files.remove(path);
            return this;
        }

        /** Publishes the commit, points the given branches and tags at it, and returns its hash. */
        public String push(String... refNames) {
            String sha = HexFormat.of().formatHex(digest("SHA-1",
                    (repo.id + "#" + commits.incrementAndGet() + files.keySet()).getBytes(StandardCharsets.UTF_8)));
            repo.commitFiles.put(sha, Map.copyOf(files));
            files.values().stream().filter(Content::lfs).forEach(c -> cdn.put(c.etag(), c));
            for (String ref : refNames) {
                repo.refs.put(ref, sha);
            }
            return sha;
        }
    }

    /**
     * A file's content, from memory or disk, with the blob name the Hub gives it: sha256 for an LFS
     * file (weights), the git blob sha1 for any other.
     */
    record Content(boolean lfs, String etag, long size, byte[] bytes, Path source) {
        static Content of(String path, byte[] bytes) {
            boolean lfs = isLfs(path);
            return new Content(lfs, lfs ? hex(digest("SHA-256", bytes)) : gitSha1(bytes), bytes.length, bytes, null);
        }

        static Content of(String path, Path source) {
            try {
                if (!isLfs(path)) {
                    return of(path, Files.readAllBytes(source));
                }
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(source)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha256.update(buffer, 0, n);
                    }
                }
                return new Content(true, hex(sha256.digest()), Files.size(source), null, source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static boolean isLfs(String path) {
            return Stream.of(".onnx", ".onnx_data", ".safetensors", ".bin").anyMatch(path::endsWith);
        }

        InputStream open() throws IOException {
            return source != null ? Files.newInputStream(source) : new ByteArrayInputStream(bytes);
        }
    }

    static String gitSha1(byte[] bytes) {
        MessageDigest sha1 = digestOf("SHA-1");
        sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return hex(sha1.digest(bytes));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        return digestOf(algorithm).digest(bytes);
    }

    private static MessageDigest digestOf(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private void handle(HttpExchange exchange, boolean onCdn) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Matcher api = API.matcher(path);
            Matcher resolve = RESOLVE.matcher(path);
            Matcher cdnPath = CDN.matcher(path);
            if (!onCdn && api.matches()) {
                listing(exchange, decode(api.group(1)), decode(api.group(2)));
            } else if (!onCdn && resolve.matches()) {
                resolve(exchange, decode(resolve.group(1)), decode(resolve.group(2)), decode(resolve.group(3)));
            } else if (onCdn && cdnPath.matches() && cdn.containsKey(cdnPath.group(1))) {
                if (exchange.getRequestHeaders().containsKey("Authorization")) {
                    // The real CDN takes signed URLs; a client that sends the Hub token there leaks it.
                    error(exchange, 400, "", "the CDN must not get an Authorization header");
                } else {
                    Content content = cdn.get(cdnPath.group(1));
                    body(exchange, pathOf(content), content);
                }
            } else {
                error(exchange, 404, "", "no route " + path);
            }
        } catch (IOException e) {
            // A dropped connection, on purpose or because the client gave up.
        }
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** Finds the repository and commit a request names, or answers with the Hub's error. */
    private Optional<Map<String, Content>> access(HttpExchange exchange, String repoId, String revision, String commitHeader)
            throws IOException {
        Repo repo = repos.get(repoId);
        if (repo == null) {
            error(exchange, 404, "RepoNotFound", "Repository not found");
            return Optional.empty();
        }
        if (repo.token != null && !("Bearer " + repo.token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            if (repo.gated) {
                error(exchange, 403, "GatedRepo", "Access to this model is restricted");
            } else {
                error(exchange, 401, "RepoNotFound", "Repository not found");
            }
            return Optional.empty();
        }
        String sha = repo.refs.getOrDefault(revision, revision);
        Map<String, Content> files = repo.commitFiles.get(sha);
        if (files == null) {
            error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return Optional.empty();
        }
        exchange.getResponseHeaders().set(commitHeader, sha);
        return Optional.of(files);
    }

    private void listing(HttpExchange exchange, String repoId, String revision) throws IOException {
        Optional<Map<String, Content>> files = access(exchange, repoId, revision, "X-Repo-Commit");
        if (files.isEmpty()) {
            return;
        }
        Repo repo = repos.get(repoId);
        boolean blobs = repo.blobMetadata && "blobs=true".equals(exchange.getRequestURI().getRawQuery());
        ObjectNode root = JSON.createObjectNode();
        root.put("id", repoId);
        root.put("sha", exchange.getResponseHeaders().getFirst("X-Repo-Commit"));
        ArrayNode siblings = root.putArray("siblings");
        files.get().forEach((path, content) -> {
            ObjectNode sibling = siblings.addObject().put("rfilename", path);
            if (blobs) {
                sibling.put("size", content.size());
                sibling.put("blobId", content.lfs() ? gitSha1(("version https://git-lfs.github.com/spec/v1\noid sha256:"
                        + content.etag() + "\nsize " + content.size() + "\n").getBytes(StandardCharsets.UTF_8)) : content.etag());
                if (content.lfs()) {
                    sibling.putObject("lfs").put("sha256", content.etag()).put("size", content.size()).put("pointerSize", 134);
                }
            }
        });
        byte[] json = JSON.writeValueAsBytes(root);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, json.length);
        exchange.getResponseBody().write(json);
    }

    private void resolve(HttpExchange exchange, String repoId, String revision, String path) throws IOException {
        Optional<Map<String, Content>> files = access(exchange, repoId, revision, "X-Repo-Commit");
        if (files.isEmpty()) {
            return;
        }
        Content content = files.get().get(path);
        if (content == null) {
            error(exchange, 404, "EntryNotFound", path + " does not exist on \"" + revision + "\"");
            return;
        }
        if (content.lfs()) {
            exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + content.etag() + "\"");
            exchange.getResponseHeaders().set("X-Linked-Size", Long.toString(content.size()));
            exchange.getResponseHeaders().set("Location", address(cdnServer) + "/cdn/" + content.etag());
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        exchange.getResponseHeaders().set("ETag", "\"" + content.etag() + "\"");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(content.size()));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        body(exchange, path, content);
    }

    private String pathOf(Content content) {
        for (Repo repo : repos.values()) {
            for (Map<String, Content> files : repo.commitFiles.values()) {
                for (Map.Entry<String, Content> file : files.entrySet()) {
                    if (file.getValue().etag().equals(content.etag())) {
                        return file.getKey();
                    }
                }
            }
        }
        return "";
    }

    /** Sends the file from the requested byte on, unless a fault is set up for it. */
    private void body(HttpExchange exchange, String path, Content content) throws IOException {
        long from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            from = Long.parseLong(m.group(1));
            if (from >= content.size()) {
                error(exchange, 416, "", "range not satisfiable");
                return;
            }
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + from + "-" + (content.size() - 1) + "/" + content.size());
        }
        long length = content.size() - from;
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, length);
        CountDownLatch hold = holds.get(path);
        if (hold != null) {
            try {
                // No deadline: only the test (or close()) lets it go, so a slow machine cannot free it early.
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        AtomicInteger drop = drops.get(path);
        long toSend = drop != null && drop.getAndDecrement() > 0 ? length / 2 : length;
        boolean garble = corrupt.containsKey(path);
        OutputStream out = exchange.getResponseBody();
        try (InputStream in = content.open()) {
            in.skipNBytes(from);
            byte[] buffer = new byte[1 << 16];
            long sent = 0;
            while (sent < toSend) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, toSend - sent));
                if (garble && sent == 0) {
                    buffer[0] ^= 0x5a;
                }
                out.write(buffer, 0, n);
                sent += n;
            }
        }
        out.flush();
        // Closing a response short of its Content-Length makes the server drop the connection.
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        if (!code.isEmpty()) {
            exchange.getResponseHeaders().set("X-Error-Code", code);
        }
        exchange.getResponseHeaders().set("X-Error-Message", message);
        byte[] body = ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
        if (!exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseBody().write(body);
        }
    }
}
