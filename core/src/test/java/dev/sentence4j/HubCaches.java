package dev.sentence4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Model folders placed in a Hugging Face cache as huggingface_hub lays one out (a snapshot folder per
 * commit, {@code refs/<branch or tag>} holding the commit), so that a test loads a model by Hub id and
 * revision with no network: the modules' tests run with {@code HF_HUB_CACHE} set to a folder under
 * {@code target/} and {@code HF_HUB_OFFLINE=1}.
 */
public final class HubCaches {
    private HubCaches() {}

    /** The cache the environment names ({@code HF_HUB_CACHE}), which the module's surefire configuration sets. */
    public static Path environmentCache() {
        String cache = System.getenv("HF_HUB_CACHE");
        if (cache == null || cache.isBlank() || System.getenv("HF_HUB_OFFLINE") == null) {
            throw new IllegalStateException("this test needs HF_HUB_CACHE and HF_HUB_OFFLINE set by the module's surefire configuration");
        }
        return Path.of(cache);
    }

    /** Forgets everything cached of a repository, so a test starts from what it puts there itself. */
    public static void clear(Path cache, String repo) {
        Path folder = repoFolder(cache, repo);
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts a folder's files in the cache as one commit of the repository and points the branches and tags
     * at it; the files are symbolic links to the folder's, as the Hub cache's snapshot files are links to
     * its blobs. Returns the commit's hash.
     */
    public static String put(Path cache, String repo, Path folder, String... refs) {
        String commit = sha1(repo + "\n" + folder.toAbsolutePath());
        Path repoFolder = repoFolder(cache, repo);
        Path snapshot = repoFolder.resolve("snapshots").resolve(commit);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path link = snapshot.resolve(folder.relativize(file).toString());
                Files.createDirectories(link.getParent());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, file.toAbsolutePath());
            }
            Files.createDirectories(repoFolder.resolve("refs"));
            for (String ref : refs) {
                Files.writeString(repoFolder.resolve("refs").resolve(ref), commit, StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return commit;
    }

    /**
     * Copies a class path resource (a weights artifact's ONNX file, say) into a model folder at a path
     * inside it.
     */
    public static void addResource(Path folder, String resource, String pathInModel) {
        Path target = folder.resolve(pathInModel);
        try (InputStream in = HubCaches.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repoFolder(Path cache, String repo) {
        return cache.resolve("models--" + repo.replace("/", "--"));
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
