package dev.sentence4j.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a downloaded file against what the Hub says of it: its size and, since a blob is named by
 * its content, its hash: sha256 for an LFS file, the git blob sha1 ({@code "blob <size>\0"} then the
 * content) for any other.
 */
final class ContentCheck {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

    private ContentCheck() {}

    /** What is wrong with the file, or nothing when it is the one the Hub described. */
    static Optional<String> problem(Path file, RemoteFile remote) throws IOException {
        long size = Files.size(file);
        if (size != remote.size()) {
            return Optional.of("it has " + size + " bytes, the Hub says " + remote.size());
        }
        String etag = remote.etag();
        MessageDigest digest;
        if (SHA256.matcher(etag).matches()) {
            digest = digest("SHA-256");
        } else if (SHA1.matcher(etag).matches()) {
            digest = digest("SHA-1");
            digest.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        } else {
            // Not a content hash (a mirror's own ETag): the size is all there is to check.
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        return actual.equals(etag)
                ? Optional.empty()
                : Optional.of("its " + digest.getAlgorithm() + " is " + actual + ", the Hub says " + etag);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
