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

        // A line at the first 64 kB chunk at or past each tenth (31 chunks are 2.03 MB); the clock ticks a
        // second per reading, so the n-th line is read n seconds after the start.
        assertThat(err.toString().lines()).containsExactly(
                "downloading onnx/model.onnx of org/model (20.0 MB)",
                "downloaded 2.0 of 20.0 MB (10%, 2.0 MB/s)",
                "downloaded 4.1 of 20.0 MB (20%, 2.0 MB/s)",
                "downloaded 6.0 of 20.0 MB (30%, 2.0 MB/s)",
                "downloaded 8.1 of 20.0 MB (40%, 2.0 MB/s)",
                "downloaded 10.0 of 20.0 MB (50%, 2.0 MB/s)",
                "downloaded 12.1 of 20.0 MB (60%, 2.0 MB/s)",
                "downloaded 14.0 of 20.0 MB (70%, 2.0 MB/s)",
                "downloaded 16.1 of 20.0 MB (80%, 2.0 MB/s)",
                "downloaded 18.0 of 20.0 MB (90%, 2.0 MB/s)");
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

    /** The graph downloads on its own thread while the tokenizer does: another file's end leaves the bar going. */
    @Test
    void anotherFilesEndDoesNotStopTheLargeFilesProgress() {
        FileDownload graph = new FileDownload("org/model", "onnx/model.onnx", 20_000_000);
        progress.started(graph, 0);
        progress.progressed(graph, 1_000_000);
        download(new FileDownload("org/model", "tokenizer.json", 700_000), 0);
        progress.progressed(graph, 3_000_000);
        progress.ended(graph);

        assertThat(err.toString().lines()).containsExactly(
                "downloading onnx/model.onnx of org/model (20.0 MB)",
                "downloaded 3.0 of 20.0 MB (15%, 3.0 MB/s)");
    }
}
