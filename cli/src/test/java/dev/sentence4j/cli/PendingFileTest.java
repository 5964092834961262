package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingFileTest {
    @TempDir
    Path dir;

    @Test
    void commitMovesTheFileIntoPlaceOverAnOldOne() throws IOException {
        Path destination = Files.writeString(dir.resolve("out.txt"), "old");

        try (PendingFile pending = PendingFile.beside(destination)) {
            assertThat(pending.path().getParent()).isEqualTo(dir);
            assertThat(pending.path().getFileName().toString()).startsWith(".out.txt.").endsWith(".tmp");
            Files.writeString(pending.path(), "new");
            assertThat(destination).hasContent("old");
            pending.commit();
        }

        assertThat(destination).hasContent("new");
        assertThat(fileCount()).isEqualTo(1);
    }

    @Test
    void aFailureHalfwayLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path destination = Files.writeString(dir.resolve("out.txt"), "old");

        assertThatThrownBy(() -> {
            try (PendingFile pending = PendingFile.beside(destination)) {
                Files.writeString(pending.path(), "half of the ne");
                throw new IllegalStateException("the encoder failed");
            }
        }).hasMessage("the encoder failed");

        assertThat(destination).hasContent("old");
        assertThat(fileCount()).isEqualTo(1);
    }

    @Test
    void checkDestinationNeedsAnExistingFolderAndNoFolderInTheWay() throws IOException {
        Path inMissingFolder = dir.resolve("missing/out.npy");
        Path folder = Files.createDirectory(dir.resolve("taken.npy"));

        PendingFile.checkDestination(dir.resolve("fresh.npy"));
        assertThatThrownBy(() -> PendingFile.checkDestination(inMissingFolder))
                .hasMessage("cannot write " + inMissingFolder + ": folder " + dir.resolve("missing") + " does not exist");
        assertThatThrownBy(() -> PendingFile.checkDestination(folder))
                .hasMessage("cannot write " + folder + ": it is a folder");
    }

    private long fileCount() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
