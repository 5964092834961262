package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.hub.DownloadListener.FileDownload;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {
    private final StringWriter err = new StringWriter();
    private final DownloadProgress progress = new DownloadProgress(new PrintWriter(err), Progress.Style.LINES, ticking());

    private static LongSupplier ticking() {
        long[] now = {0};
        return () -> now[0] += 1_000_000_000L;
    }

    private void download(FileDownload file, long from) {
        progress.started(file, from);
        for (long done = from; done <= file.size(); done += 65_536) {
            progress.progressed(file, done);
        }
        progress.progressed(file, file.size());
        progress.ended(file);
    }

    @Test
    void aLargeFileGetsItsNameAndProgressLines() {
        download(new FileDownload("org/model", "onnx/model.onnx", 20_000_000), 0);

        assertThat(err.toString().lines()).hasSize(10)
                .startsWith("downloading onnx/model.onnx of org/model (20.0 MB)")
                .allMatch(line -> line.startsWith("downloading") || line.matches("downloaded [0-9.]+ of 20.0 MB \\(\\d0%, .*"));
    }

    @Test
    void aResumedDownloadSaysWhereItResumes() {
        download(new FileDownload("org/model", "onnx/model.onnx", 20_000_000), 15_000_000);

        assertThat(err.toString().lines()).first().isEqualTo("downloading onnx/model.onnx of org/model (resuming at 15.0 of 20.0 MB)");
    }

    @Test
    void smallFilesDownloadSilently() {
        download(new FileDownload("org/model", "tokenizer.json", 700_000), 0);

        assertThat(err.toString()).isEmpty();
    }
}
