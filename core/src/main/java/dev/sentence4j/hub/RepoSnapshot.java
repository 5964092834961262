package dev.sentence4j.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Hub repository at one commit, as its cache snapshot folder: files already there are read from
 * the cache without a request; the others are downloaded when first asked for. Safe to use from
 * several threads and processes at once.
 */
public final class RepoSnapshot {
    private final String repo;
    private final String revision;
    private final String commit;
    private final RepoCache cache;
    /** {@code null} when offline: then only the cache answers. */
    private final HubHttp http;
    private final DownloadListener listener;
    private RepoListing listing;

    RepoSnapshot(String repo, String revision, String commit, RepoCache cache, HubHttp http, DownloadListener listener,
            RepoListing listing) {
        this.repo = repo;
        this.revision = revision;
        this.commit = commit;
        this.cache = cache;
        this.http = http;
        this.listener = listener;
        this.listing = listing;
    }

    /** The repository id, such as {@code sentence-transformers/all-MiniLM-L6-v2}. */
    public String repo() {
        return repo;
    }

    /** The revision asked for: a branch, a tag or a commit hash. */
    public String revision() {
        return revision;
    }

    /** The commit hash the revision stands for. */
    public String commit() {
        return commit;
    }

    /** The snapshot folder in the cache, holding the files downloaded so far. */
    public Path folder() {
        return cache.snapshot(commit);
    }

    /**
     * Whether the repository has this file at this commit: the cache answers when it holds the file or
     * knows it absent, else the Hub's file list does.
     *
     * @throws HubException if only the Hub could tell and it is offline or cannot be reached
     */
    public boolean has(String path) {
        if (Files.isRegularFile(cache.file(commit, path))) {
            return true;
        }
        if (cache.knownAbsent(commit, path)) {
            return false;
        }
        boolean listed = listing(path).files().containsKey(path);
        if (!listed) {
            cache.markAbsent(commit, path);
        }
        return listed;
    }

    /**
     * The file on disk, in the snapshot folder: from the cache, or downloaded into it first.
     *
     * @throws HubException if the repository has no such file, or it is not cached and cannot be downloaded
     */
    public Path file(String path) {
        Path local = cache.file(commit, path);
        if (Files.isRegularFile(local)) {
            return local;
        }
        if (cache.knownAbsent(commit, path)) {
            throw noSuchFile(path);
        }
        RemoteFile remote = listing(path).files().get(path);
        if (remote == null) {
            cache.markAbsent(commit, path);
            throw noSuchFile(path);
        }
        if (!remote.described()) {
            remote = http.metadata(repo, commit, path);
        }
        new BlobDownload(http, cache, listener).fetch(repo, commit, remote);
        cache.link(commit, path, remote.etag());
        return local;
    }

    /** All the repository's file paths, when this snapshot has asked the Hub for them. */
    public Optional<List<String>> listedFiles() {
        synchronized (this) {
            return Optional.ofNullable(listing).map(RepoListing::paths);
        }
    }

    private synchronized RepoListing listing(String wanted) {
        if (listing == null) {
            if (http == null) {
                throw new HubException(wanted + " of " + repo + " at revision " + revision + " is not in the Hugging Face cache ("
                        + folder() + " lacks it) and offline mode is on (HF_HUB_OFFLINE): load the model once online");
            }
            listing = http.listing(repo, commit);
        }
        return listing;
    }

    private HubException noSuchFile(String path) {
        return new HubException(repo + " has no file " + path + " at revision " + revision
                + (revision.equals(commit) ? "" : " (commit " + commit + ")"));
    }

    @Override
    public String toString() {
        return repo + "@" + commit;
    }
}
