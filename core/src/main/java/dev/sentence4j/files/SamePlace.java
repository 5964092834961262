package dev.sentence4j.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether two paths name the same file, or one lies inside the other, by any spelling: a symbolic or
 * hard link, {@code ..}, another route to the folder. A command checks its output against its input with
 * this before it writes (or deletes) anything.
 */
public final class SamePlace {
    private SamePlace() {}

    /**
     * Whether the two paths are one file, though either may not exist yet.
     *
     * @throws IOException when a file that exists cannot be examined
     */
    public static boolean sameFile(Path a, Path b) throws IOException {
        return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b) : whereItWouldBe(a).equals(whereItWouldBe(b));
    }

    /**
     * Whether {@code file} is {@code folder} or lies somewhere inside it, by its real path: replacing the
     * folder would delete it.
     *
     * @throws IOException when a file that exists cannot be examined
     */
    public static boolean holds(Path folder, Path file) throws IOException {
        return sameFile(folder, file) || whereItWouldBe(file).startsWith(whereItWouldBe(folder));
    }

    /** The real path of a file that may not exist yet: the real path of its nearest existing folder, then the rest. */
    private static Path whereItWouldBe(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            return absolute.toRealPath();
        }
        Path folder = absolute.getParent();
        return folder == null ? absolute : whereItWouldBe(folder).resolve(absolute.getFileName());
    }
}
