package dev.sentence4j.cli;

import dev.sentence4j.files.AtomicFile;
import dev.sentence4j.files.SamePlace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file written under a hidden temporary name in its destination's folder and moved into place only
 * once complete, so that a failed or interrupted run neither leaves half a file nor clobbers the old
 * one. Closing it without {@link #commit} deletes the temporary file.
 */
final class PendingFile implements AutoCloseable {
    private final Path destination;
    private final Path temporary;
    private final Thread deleteOnExit;
    private boolean committed;

    private PendingFile(Path destination, Path temporary) {
        this.destination = destination;
        this.temporary = temporary;
        // Ctrl-C skips close(); the hook still removes what would otherwise be a stray hidden file.
        this.deleteOnExit = new Thread(this::deleteTemporary, "sentence4j-delete-" + temporary.getFileName());
        Runtime.getRuntime().addShutdownHook(deleteOnExit);
    }

    /**
     * Checks, before any slow work, that a file could be written at {@code destination}.
     *
     * @throws CliException saying why not
     */
    static void checkDestination(Path destination) {
        if (Files.isDirectory(destination)) {
            throw new CliException("cannot write " + destination + ": it is a folder");
        }
        Path folder = destination.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new CliException("cannot write " + destination + ": folder " + folder + " does not exist");
        }
    }

    /**
     * Checks, before any work, that {@code destination} is not another file the command uses, such as its
     * input: writing would replace that file with the output. The same file by any path counts: a
     * symbolic or hard link, another spelling of the folder.
     *
     * @param other another file of the command, or {@code null}
     * @param what what {@code other} is, for the message ("the input")
     * @throws CliException naming both
     */
    static void checkDistinct(Path destination, Path other, String what) {
        if (other == null) {
            return;
        }
        boolean same;
        try {
            same = SamePlace.sameFile(destination, other);
        } catch (IOException e) {
            // A file that cannot be examined cannot be told apart; reading or writing it reports the problem.
            return;
        }
        if (same) {
            throw new CliException("cannot write " + destination + ": it is the same file as " + what + " " + other
                    + "; choose another file");
        }
    }

    /** Creates an empty temporary file beside {@code destination}. */
    static PendingFile beside(Path destination) throws IOException {
        // Created plainly rather than with Files.createTempFile, so the final file gets the usual permissions.
        Path temporary = Files.createFile(AtomicFile.temporaryBeside(destination));
        return new PendingFile(destination, temporary);
    }

    /** Where to write the content. */
    Path path() {
        return temporary;
    }

    /** Moves the written file into place, replacing any file already there. */
    void commit() throws IOException {
        AtomicFile.moveIntoPlace(temporary, destination);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it deletes the file.
        }
        if (!committed) {
            Files.deleteIfExists(temporary);
        }
    }

    private void deleteTemporary() {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // The JVM is exiting; there is no one left to tell.
        }
    }
}
