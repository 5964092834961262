package dev.sentence4j.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileWholeAndLeavesNothingElse() throws IOException {
        Path target = Files.writeString(dir.resolve("file.txt"), "old");

        AtomicFile.write(target, temporary -> {
            assertThat(temporary.getParent()).isEqualTo(dir);
            assertThat(temporary.getFileName().toString()).startsWith(".file.txt.").endsWith(".tmp");
            Files.writeString(temporary, "new");
            assertThat(target).hasContent("old");
        });
        AtomicFile.copy(new ByteArrayInputStream("copied".getBytes()), dir.resolve("sub/copy.txt"));

        assertThat(target).hasContent("new");
        assertThat(dir.resolve("sub/copy.txt")).hasContent("copied");
        assertThat(filesIn(dir)).containsExactlyInAnyOrder(target, dir.resolve("sub"));
    }

    @Test
    void aFailureLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path target = Files.writeString(dir.resolve("file.txt"), "old");

        assertThatThrownBy(() -> AtomicFile.write(target, temporary -> {
            Files.writeString(temporary, "half of the ne");
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(target).hasContent("old");
        assertThat(filesIn(dir)).containsExactly(target);
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
