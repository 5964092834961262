package dev.sentence4j.hub;

import dev.sentence4j.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One repository's folder in the Hugging Face cache, laid out as {@code huggingface_hub} lays it out:
 * <pre>
 * models--org--name/
 *   blobs/&lt;etag&gt;                  file contents, named by sha256 (LFS) or git blob sha1
 *   blobs/&lt;etag&gt;.incomplete       a download under way or interrupted
 *   snapshots/&lt;commit&gt;/&lt;path&gt;     relative symbolic links to ../../blobs/&lt;etag&gt;
 *   refs/&lt;branch or tag&gt;         the commit hash it pointed at, without a newline
 *   .no_exist/&lt;commit&gt;/&lt;path&gt;     empty files: the repository has no such file at that commit
 * .locks/models--org--name/&lt;etag&gt;.lock   held while a blob downloads
 * </pre>
 */
final class RepoCache {
    private static final System.Logger LOG = System.getLogger(RepoCache.class.getName());
    private static final Pattern COMMIT_HASH = Pattern.compile("[0-9a-f]{40}");

    private final Path folder;
    private final Path locks;

    RepoCache(Path cacheDirectory, String repo) {
        String name = "models--" + repo.replace("/", "--");
        this.folder = cacheDirectory.resolve(name);
        this.locks = cacheDirectory.resolve(".locks").resolve(name);
    }

    static boolean isCommitHash(String revision) {
        return COMMIT_HASH.matcher(revision).matches();
    }

    /** The repository's folder in the cache. */
    Path folder() {
        return folder;
    }

    /** The commit a revision stands for: itself when it is a commit hash, else what its ref file says. */
    Optional<String> commitOf(String revision) {
        if (isCommitHash(revision)) {
            return Optional.of(revision);
        }
        Path ref = inside(folder.resolve("refs"), revision);
        try {
            return Files.isRegularFile(ref)
                    ? Optional.of(Files.readString(ref, StandardCharsets.UTF_8).strip()).filter(RepoCache::isCommitHash)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records which commit a branch or tag stands for; a commit hash needs no ref. */
    void writeRef(String revision, String commit) {
        if (revision.equals(commit) || commitOf(revision).filter(commit::equals).isPresent()) {
            return;
        }
        Path ref = inside(folder.resolve("refs"), revision);
        try {
            AtomicFile.write(ref, temporary -> Files.writeString(temporary, commit, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unwritable(ref, e);
        }
    }

    Path snapshot(String commit) {
        return folder.resolve("snapshots").resolve(commit);
    }

    /** Where a file of a commit lies in the cache, whether or not it is there. */
    Path file(String commit, String path) {
        return inside(snapshot(commit), path);
    }

    boolean knownAbsent(String commit, String path) {
        return Files.isRegularFile(inside(folder.resolve(".no_exist").resolve(commit), path));
    }

    /**
     * Records that the repository has no such file at this commit, so offline runs know it too. Only a
     * help: a cache this process may not write to (one shared read-only) goes without.
     */
    void markAbsent(String commit, String path) {
        Path marker = inside(folder.resolve(".no_exist").resolve(commit), path);
        try {
            Files.createDirectories(marker.getParent());
            Files.createFile(marker);
        } catch (FileAlreadyExistsException e) {
            // Another process marked it first.
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot mark {0} absent: {1}", marker, e.getMessage());
        }
    }

    Path blob(String etag) {
        return inside(folder.resolve("blobs"), etag);
    }

    Path incomplete(String etag) {
        return inside(folder.resolve("blobs"), etag + ".incomplete");
    }

    Path lockFile(String etag) {
        return inside(locks, etag + ".lock");
    }

    /**
     * Points a commit's file at its blob: a relative symbolic link, as huggingface_hub makes, or a copy
     * where the file system has no symbolic links.
     */
    void link(String commit, String path, String etag) {
        Path link = file(commit, path);
        Path blob = blob(etag);
        try {
            // Moved into place in one step, so a concurrent reader never sees a missing or half-made file.
            AtomicFile.write(link, temporary -> {
                try {
                    Files.createSymbolicLink(temporary, link.getParent().relativize(blob));
                } catch (UnsupportedOperationException | FileSystemException noLinks) {
                    Files.copy(blob, temporary, StandardCopyOption.REPLACE_EXISTING);
                }
            });
        } catch (IOException e) {
            throw unwritable(link, e);
        }
    }

    static HubException unwritable(Path file, IOException e) {
        return new HubException("cannot write " + file + " in the Hugging Face cache: " + e.getMessage(), e);
    }

    /**
     * Resolves a repository path or revision under a folder, refusing what would leave it: names come from
     * the Hub and from model files, which a cache folder must not trust.
     */
    private static Path inside(Path base, String relative) {
        boolean safe = !relative.isEmpty() && !relative.startsWith("/") && !relative.contains("\\");
        for (String segment : relative.split("/", -1)) {
            safe &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
        }
        if (!safe) {
            throw new HubException("'" + relative + "' is not a valid file path or revision of a Hub repository");
        }
        return base.resolve(relative);
    }
}
