package dev.sentence4j.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written whole or not at all: filled under a hidden temporary name in its own folder, then moved
 * into place in one step, so that a reader (another thread, another process) never sees half of it,
 * and a failure or a kill midway leaves the old file, if any, as it was.
 */
public final class AtomicFile {
    /** What fills the temporary file, which does not exist yet when it is called. */
    @FunctionalInterface
    public interface Filler {
        void fill(Path temporary) throws IOException;
    }

    private AtomicFile() {}

    /**
     * Writes {@code target} by filling a temporary file beside it, then moving that into place over
     * whatever is there; creates the folder if needed. The temporary file is removed if filling fails.
     */
    public static void write(Path target, Filler filler) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Path temporary = temporaryBeside(target);
        try {
            filler.fill(temporary);
            moveIntoPlace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes {@code target} with the stream's bytes, as {@link #write} does. */
    public static void copy(InputStream in, Path target) throws IOException {
        write(target, temporary -> Files.copy(in, temporary));
    }

    /**
     * A fresh hidden name beside the file, {@code .NAME.RANDOM.tmp}, not yet created: free for a file,
     * a symbolic link or another program's output.
     */
    public static Path temporaryBeside(Path target) {
        String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
    }

    /** Moves a complete file into place in one step, replacing whatever is there. */
    public static void moveIntoPlace(Path complete, Path target) throws IOException {
        Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
