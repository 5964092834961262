package dev.sentence4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Tells on stderr how far long work has come (texts encoded, bytes downloaded): a bar redrawn in place
 * on a terminal, otherwise (a log file, CI) a line at about every tenth, so that the log stays short.
 */
final class Progress implements AutoCloseable {
    /** What is counted, and how amounts and rates of it read. */
    enum Unit {
        TEXTS("encoded", "texts", 1, "%.0f"),
        BYTES("downloaded", "MB", 1_000_000, "%.1f");

        private final String verb;
        private final String name;
        private final double scale;
        private final String format;

        Unit(String verb, String name, double scale, String format) {
            this.verb = verb;
            this.name = name;
            this.scale = scale;
            this.format = format;
        }

        String amount(double count) {
            return scale == 1 ? Long.toString((long) count) : String.format(Locale.ROOT, format, count / scale);
        }

        String rate(double perSecond) {
            return String.format(Locale.ROOT, format, perSecond / scale) + " " + name + "/s";
        }
    }

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
    private final long total;
    private final Unit unit;
    private final Style style;
    private final LongSupplier nanoTime;
    private final long start;
    private int tenthsReported;
    private int barLength;

    Progress(PrintWriter err, int texts, Style style, LongSupplier nanoTime) {
        this(err, texts, Unit.TEXTS, style, nanoTime);
    }

    Progress(PrintWriter err, long total, Unit unit, Style style, LongSupplier nanoTime) {
        this.err = err;
        this.total = total;
        this.unit = unit;
        this.style = style;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        if (style == Style.BAR) {
            drawBar(0);
        }
    }

    /** A bar on a terminal; elsewhere lines, if the work takes more than one chunk, else nothing. */
    static Style styleFor(int total, int chunkSize) {
        return styleFor(total > chunkSize);
    }

    /** A bar on a terminal; elsewhere lines for long work, else nothing. */
    static Style styleFor(boolean longWork) {
        if (System.console() != null) {
            return Style.BAR;
        }
        return longWork ? Style.LINES : Style.SILENT;
    }

    /** Reports that {@code done} of the total are done; a fraction counts part of one. */
    void update(double done) {
        if (style == Style.BAR) {
            drawBar(done);
        } else if (style == Style.LINES && done < total) {
            int tenths = (int) (10L * done / total);
            if (tenths > tenthsReported) {
                tenthsReported = tenths;
                err.println(String.format(Locale.ROOT, "%s %s of %s %s (%d%%, %s)", unit.verb, unit.amount(done),
                        unit.amount(total), unit.name, percent(done), unit.rate(rate(done))));
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

    private void drawBar(double done) {
        int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
        String bar = String.format(Locale.ROOT, "[%s%s] %3d%%  %s/%s %s  %s", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled),
                percent(done), unit.amount(done), unit.amount(total), unit.name, unit.rate(rate(done)));
        // Padded to cover the end of a longer line drawn before.
        err.print("\r" + bar + " ".repeat(Math.max(0, barLength - bar.length())));
        err.flush();
        barLength = Math.max(barLength, bar.length());
    }

    private int percent(double done) {
        return total == 0 ? 100 : (int) (100 * done / total);
    }

    private double rate(double done) {
        double seconds = (nanoTime.getAsLong() - start) / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }
}
