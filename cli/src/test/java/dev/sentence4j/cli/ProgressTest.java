package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ProgressTest {
    /** A clock that moves one second each time it is read. */
    private static LongSupplier ticking() {
        long[] now = {0};
        return () -> now[0] += 1_000_000_000L;
    }

    @Test
    void linesComeAtAboutEveryTenthAndNotAtTheEnd() {
        StringWriter err = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(err), 10_000, Progress.Style.LINES, ticking())) {
            for (int done = 1024; done < 10_000; done += 1024) {
                progress.update(done);
            }
            progress.update(10_000);
        }

        assertThat(err.toString().lines()).hasSize(9)
                .startsWith("encoded 1024 of 10000 texts (10%, 1024 texts/s)")
                .endsWith("encoded 9216 of 10000 texts (92%, 1024 texts/s)");
    }

    @Test
    void theBarIsRedrawnOnOneLineThatEndsWhenClosed() {
        StringWriter err = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(err), 200, Progress.Style.BAR, ticking())) {
            progress.update(100);
            progress.update(200);
        }

        assertThat(err.toString()).startsWith("\r[------------------------------]   0%  0/200 texts")
                .contains("\r[###############---------------]  50%  100/200 texts  50 texts/s")
                .endsWith("\r[##############################] 100%  200/200 texts  67 texts/s" + System.lineSeparator());
    }

    @Test
    void bytesReadInMegabytes() {
        StringWriter bar = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(bar), 90_000_000, Progress.Unit.BYTES, Progress.Style.BAR,
                ticking())) {
            progress.update(45_000_000);
        }
        StringWriter lines = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(lines), 90_000_000, Progress.Unit.BYTES, Progress.Style.LINES,
                ticking())) {
            progress.update(9_500_000);
        }

        assertThat(bar.toString()).contains("\r[###############---------------]  50%  45.0/90.0 MB  22.5 MB/s");
        assertThat(lines.toString().lines()).containsExactly("downloaded 9.5 of 90.0 MB (10%, 9.5 MB/s)");
    }

    @Test
    void silentSaysNothing() {
        StringWriter err = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(err), 10, Progress.Style.SILENT, ticking())) {
            progress.update(10);
        }

        assertThat(err.toString()).isEmpty();
    }
}
