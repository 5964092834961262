package dev.sentence4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Tells on stderr how many texts are encoded: a bar redrawn in place on a terminal, otherwise (a log
 * file, CI) a line at about every tenth, so that the log stays short.
 */
final class Progress implements AutoCloseable {
    /** How progress shows. */
    enum Style {
        /** A one-line bar, redrawn with {@code \r}. */
        BAR,
        /** A line at about every tenth. */
        LINES,
        /** Nothing, for work too short to report on. */
        SILENT
    }

    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final int total;
    private final Style style;
    private final LongSupplier nanoTime;
    private final long start;
    private int tenthsReported;
    private int barLength;

    Progress(PrintWriter err, int total, Style style, LongSupplier nanoTime) {
        this.err = err;
        this.total = total;
        this.style = style;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        if (style == Style.BAR) {
            drawBar(0);
        }
    }

    /** Reports that {@code done} of the texts are encoded. */
    void update(int done) {
        if (style == Style.BAR) {
            drawBar(done);
        } else if (style == Style.LINES && done < total) {
            int tenths = (int) (10L * done / total);
            if (tenths > tenthsReported) {
                tenthsReported = tenths;
                err.println(String.format(Locale.ROOT, "encoded %d of %d texts (%d%%, %.0f texts/s)",
                        done, total, percent(done), rate(done)));
                err.flush();
            }
        }
    }

    /** Ends the bar's line, so that what follows starts on a line of its own. */
    @Override
    public void close() {
        if (barLength > 0) {
            err.println();
            err.flush();
        }
    }

    private void drawBar(int done) {
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
        String bar = String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d texts  %.0f texts/s",
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), percent(done), done, total, rate(done));
        // Padded to cover the end of a longer line drawn before.
        err.print("\r" + bar + " ".repeat(Math.max(0, barLength - bar.length())));
        err.flush();
        barLength = Math.max(barLength, bar.length());
    }

    private int percent(int done) {
        return total == 0 ? 100 : (int) (100L * done / total);
    }

    private double rate(int done) {
        double seconds = (nanoTime.getAsLong() - start) / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }
}
