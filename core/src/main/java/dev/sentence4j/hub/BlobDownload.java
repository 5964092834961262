package dev.sentence4j.hub;

import dev.sentence4j.files.AtomicFile;
import dev.sentence4j.files.CacheLock;
import dev.sentence4j.hub.DownloadListener.FileDownload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Brings one blob into the cache safely: under the blob's lock, into {@code blobs/<etag>.incomplete},
 * resumed with an HTTP range where an earlier download stopped, checked for size and hash, and only
 * then moved to {@code blobs/<etag>}. A file in {@code blobs/} is therefore always complete.
 */
final class BlobDownload {
    private static final int ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MS = 250;

    private final HubHttp http;
    private final RepoCache cache;
    private final DownloadListener listener;

    BlobDownload(HubHttp http, RepoCache cache, DownloadListener listener) {
        this.http = http;
        this.cache = cache;
        this.listener = listener;
    }

    /**
     * Makes sure the cache holds the file's blob, downloading it unless it is there already.
     *
     * @throws HubException if it cannot be had, naming the file; what was downloaded stays in the
     *     {@code .incomplete} file for the next attempt to resume
     */
    void fetch(String repo, String commit, RemoteFile file) {
        Path blob = cache.blob(file.etag());
        String what = file.path() + " of " + repo;
        try {
            if (isComplete(blob, file)) {
                return;
            }
            Files.createDirectories(blob.getParent());
            try (CacheLock lock = CacheLock.acquire(cache.lockFile(file.etag()), "downloading " + what)) {
                // Another process may have finished it while this one waited for the lock.
                if (isComplete(blob, file)) {
                    return;
                }
                Path partial = cache.incomplete(file.etag());
                FileDownload event = new FileDownload(repo, file.path(), file.size());
                listener.started(event, sizeOf(partial));
                try {
                    transfer(repo, commit, file, partial, event);
                    Optional<String> problem = ContentCheck.problem(partial, file);
                    if (problem.isPresent()) {
                        Files.delete(partial);
                        throw new HubException("the download of " + what + " at " + commit + " is corrupt: "
                                + problem.get() + "; it was deleted, try again");
                    }
                    AtomicFile.moveIntoPlace(partial, blob);
                } finally {
                    listener.ended(event);
                }
            }
        } catch (IOException e) {
            throw RepoCache.unwritable(blob, e);
        }
    }

    private static boolean isComplete(Path blob, RemoteFile file) throws IOException {
        return Files.isRegularFile(blob) && Files.size(blob) == file.size();
    }

    /** Fills the partial file up to the file's size, resuming after a dropped connection. */
    private void transfer(String repo, String commit, RemoteFile file, Path partial, FileDownload event) throws IOException {
        for (int attempt = 1; ; attempt++) {
            long have = sizeOf(partial);
            if (have > file.size()) {
                Files.delete(partial);
                have = 0;
            }
            if (have == file.size()) {
                return;
            }
            ConnectionLost interruption;
            try (HubHttp.Body body = http.download(repo, commit, file.path(), have)) {
                write(body, partial, event);
                long got = sizeOf(partial);
                if (got == file.size()) {
                    return;
                }
                interruption = new ConnectionLost("the connection ended after " + got + " of " + file.size() + " bytes", null);
            } catch (ConnectionLost e) {
                interruption = e;
            }
            if (attempt == ATTEMPTS) {
                throw new HubException("downloading " + file.path() + " of " + repo + " failed " + ATTEMPTS + " times ("
                        + interruption.getMessage() + "); the " + sizeOf(partial) + " bytes received are kept in "
                        + partial + " and the next load resumes from there", interruption);
            }
            pause(attempt);
        }
    }

    /** Writes the body where it starts in the file: at the end of what is there, or over it all. */
    private void write(HubHttp.Body body, Path partial, FileDownload event) throws IOException {
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(body.start());
            out.position(body.start());
            long done = body.start();
            listener.progressed(event, done);
            InputStream in = body.stream();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = read(in, buffer)) > 0; ) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                done += n;
                listener.progressed(event, done);
            }
        }
    }

    /** Reads from the network: a failure here is worth a retry, unlike one writing the disk. */
    private static int read(InputStream in, byte[] buffer) throws ConnectionLost {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new ConnectionLost(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    /** The download stopped before the end of the file. */
    private static final class ConnectionLost extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectionLost(String message, IOException cause) {
            super(message, cause);
        }
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(RETRY_PAUSE_MS * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while waiting to retry a download", e);
        }
    }
}
