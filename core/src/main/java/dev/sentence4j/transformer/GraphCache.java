package dev.sentence4j.transformer;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Optimized ONNX graphs kept on disk, so a model optimizes once per machine rather than on every load.
 * An entry is keyed by the source file (path, size, modification time), the ONNX Runtime version and
 * the processor, since a fully optimized graph may use instructions only that processor has.
 */
final class GraphCache {
    private final Path folder;

    GraphCache(Path folder) {
        this.folder = folder;
    }

    /** Where the optimized graph of this source file lives, whether or not it exists yet. */
    Path entry(Path source) throws IOException {
        String key = source.toAbsolutePath() + "|" + Files.size(source) + "|" + Files.getLastModifiedTime(source).toMillis()
                + "|" + OrtEnvironment.getEnvironment().getVersion() + "|" + Cpu.fingerprint();
        return folder.resolve(sha256(key) + ".onnx");
    }

    /** A fresh temporary file beside the entry, to be moved into place once complete. */
    Path temporary(Path entry) throws IOException {
        Files.createDirectories(folder);
        return Files.createTempFile(folder, entry.getFileName().toString(), ".partial");
    }

    /** Moves a complete temporary file into place; a concurrent writer of the same entry wrote the same bytes. */
    static void publish(Path temporary, Path entry) throws IOException {
        Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
