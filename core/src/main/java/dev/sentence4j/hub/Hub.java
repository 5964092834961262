package dev.sentence4j.hub;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where models come from on the Hugging Face Hub, and where they are kept: the endpoint, the access
 * token, the cache folder, whether to go online at all, and who hears about download progress.
 * Immutable; start from {@link #fromEnvironment()} and change what you need.
 *
 * <pre>{@code
 * RepoSnapshot snapshot = Hub.fromEnvironment().open("sentence-transformers/all-MiniLM-L6-v2", null);
 * Path modules = snapshot.file("modules.json");
 * }</pre>
 */
public final class Hub {
    /** The revision used when none is named. */
    public static final String DEFAULT_REVISION = "main";
    /** The Hub's rules for a repository id: an optional owner, a name, each of letters, digits, '-', '_' or '.'. */
    private static final Pattern REPO_ID = Pattern.compile("(?:[A-Za-z0-9][\\w.-]{0,95}/)?[A-Za-z0-9][\\w.-]{0,95}");

    /** As given: {@code HF_ENDPOINT} is checked when first used, so that a bad one fails only what goes online. */
    private final String endpoint;
    private final Path cacheDirectory;
    private final String token;
    private final boolean offline;
    private final DownloadListener listener;

    private Hub(String endpoint, Path cacheDirectory, String token, boolean offline, DownloadListener listener) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        this.token = token;
        this.offline = offline;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The settings Python's {@code huggingface_hub} would use: endpoint {@code HF_ENDPOINT} (default
     * https://huggingface.co); cache {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else
     * {@code ~/.cache/huggingface/hub}; token {@code HF_TOKEN}, else the file {@code HF_TOKEN_PATH},
     * else {@code $HF_HOME/token}; offline when {@code HF_HUB_OFFLINE=1}.
     */
    public static Hub fromEnvironment() {
        return from(new HubEnvironment(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    static Hub from(HubEnvironment environment) {
        return new Hub(environment.endpoint(), environment.cacheDirectory(), environment.token().orElse(null),
                environment.offline(), DownloadListener.NONE);
    }

    /**
     * These settings with another Hub address, such as a mirror.
     *
     * @throws IllegalArgumentException if it is not an http(s) URL
     */
    public Hub withEndpoint(URI address) {
        if (!isHttpUrl(address)) {
            throw new IllegalArgumentException("the Hub endpoint must be an http(s) URL such as "
                    + HubEnvironment.DEFAULT_ENDPOINT + ", got '" + address + "'");
        }
        return new Hub(address.toString(), cacheDirectory, token, offline, listener);
    }

    /** These settings with another cache folder (the one holding {@code models--org--name} folders). */
    public Hub withCacheDirectory(Path directory) {
        return new Hub(endpoint, directory, token, offline, listener);
    }

    /** These settings with another access token, or {@code null} for none. */
    public Hub withToken(String accessToken) {
        return new Hub(endpoint, cacheDirectory, accessToken, offline, listener);
    }

    /** These settings, using only the cache when {@code on}: no request ever reaches the network. */
    public Hub withOffline(boolean on) {
        return new Hub(endpoint, cacheDirectory, token, on, listener);
    }

    /** These settings, telling {@code progress} about each download. */
    public Hub withListener(DownloadListener progress) {
        return new Hub(endpoint, cacheDirectory, token, offline, progress);
    }

    /**
     * The Hub's address.
     *
     * @throws HubException if {@code HF_ENDPOINT} set one that is not an http(s) URL
     */
    public URI endpoint() {
        URI address;
        try {
            address = new URI(endpoint);
        } catch (URISyntaxException e) {
            address = null;
        }
        if (!isHttpUrl(address)) {
            throw new HubException("HF_ENDPOINT must be an http(s) URL such as " + HubEnvironment.DEFAULT_ENDPOINT
                    + ", got '" + endpoint + "'");
        }
        return address;
    }

    private static boolean isHttpUrl(URI address) {
        return address != null && address.getHost() != null
                && ("http".equalsIgnoreCase(address.getScheme()) || "https".equalsIgnoreCase(address.getScheme()));
    }

    public Path cacheDirectory() {
        return cacheDirectory;
    }

    public boolean offline() {
        return offline;
    }

    /** Whether the text has the form of a Hub repository id ({@code name} or {@code owner/name}). */
    public static boolean isRepoId(String text) {
        return REPO_ID.matcher(text).matches() && !text.contains("--") && !text.contains("..")
                && !text.endsWith(".") && !text.endsWith("-");
    }

    /**
     * Opens a repository at a revision. When the cache knows the revision's commit and has its snapshot
     * folder, no request is made; otherwise the Hub's file list for the revision is fetched and the
     * branch or tag recorded in {@code refs/}.
     *
     * @param repoId the repository id, {@code owner/name}
     * @param revision a branch, a tag or a commit hash; {@code null} for {@value #DEFAULT_REVISION}
     * @throws HubException if the repository or revision does not exist, is private, or is not cached
     *     while offline or unreachable
     */
    public RepoSnapshot open(String repoId, String revision) {
        if (!isRepoId(repoId)) {
            throw new HubException("'" + repoId + "' is not a Hugging Face model id (owner/name)");
        }
        String wanted = revision == null ? DEFAULT_REVISION : revision;
        RepoCache cache = new RepoCache(cacheDirectory, repoId);
        Optional<String> cached = cache.commitOf(wanted).filter(commit -> Files.isDirectory(cache.snapshot(commit)));
        if (cached.isPresent()) {
            return new RepoSnapshot(repoId, wanted, cached.get(), cache, offline ? null : http(), listener, null);
        }
        if (offline) {
            String missing = RepoCache.isCommitHash(wanted) ? "snapshots/" + wanted : "refs/" + wanted;
            throw new HubException(repoId + " at revision " + wanted + " is not in the Hugging Face cache ("
                    + cache.folder() + " has no " + missing + ") and offline mode is on (HF_HUB_OFFLINE):"
                    + " load the model once online");
        }
        HubHttp http = http();
        RepoListing listing = http.listing(repoId, wanted);
        cache.writeRef(wanted, listing.commit());
        return new RepoSnapshot(repoId, wanted, listing.commit(), cache, http, listener, listing);
    }

    private HubHttp http() {
        return new HubHttp(endpoint(), token);
    }

    @Override
    public String toString() {
        // Never the token: settings end up in logs.
        return "Hub[" + endpoint + ", cache " + cacheDirectory + (offline ? ", offline" : "") + (token != null ? ", with token" : "") + "]";
    }
}
