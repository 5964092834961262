package dev.sentence4j.cli;

import dev.sentence4j.hub.DownloadListener;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Shows Hub downloads of large files (weights) on stderr: a line naming the file, then a
 * {@link Progress} bar. Small files come too fast to be worth a line. A model's files may download on
 * several threads at once (its graph loads beside its tokenizer), so the bar follows one file, and the
 * others' events leave it alone.
 */
final class DownloadProgress implements DownloadListener {
    /** Files smaller than this download silently. */
    static final long LARGE_FILE_BYTES = 10_000_000;

    private final PrintWriter err;
    private final Progress.Style style;
    private final LongSupplier nanoTime;
    private Progress progress;
    private FileDownload shown;
    private int percentShown;

    DownloadProgress(PrintWriter err, Progress.Style style, LongSupplier nanoTime) {
        this.err = err;
        this.style = style;
        this.nanoTime = nanoTime;
    }

    /** Progress as a bar on a terminal, else as lines. */
    static DownloadProgress on(PrintWriter err) {
        return new DownloadProgress(err, System.console() != null ? Progress.Style.BAR : Progress.Style.LINES, System::nanoTime);
    }

    @Override
    public synchronized void started(FileDownload file, long done) {
        if (file.size() < LARGE_FILE_BYTES) {
            return;
        }
        String size = Progress.Unit.BYTES.amount(file.size()) + " MB";
        err.println("downloading " + file.path() + " of " + file.repo() + " ("
                + (done > 0 ? "resuming at " + Progress.Unit.BYTES.amount(done) + " of " + size : size) + ")");
        err.flush();
        if (progress != null) {
            return;
        }
        progress = new Progress(err, file.size(), Progress.Unit.BYTES, style, nanoTime);
        shown = file;
        percentShown = -1;
        progressed(file, done);
    }

    @Override
    public synchronized void progressed(FileDownload file, long done) {
        // Redrawn once per percent: chunks arrive far more often than a terminal needs.
        int percent = (int) (100 * done / Math.max(1, file.size()));
        if (file.equals(shown) && percent > percentShown) {
            percentShown = percent;
            progress.update(done);
        }
    }

    @Override
    public synchronized void ended(FileDownload file) {
        if (file.equals(shown)) {
            progress.close();
            progress = null;
            shown = null;
        }
    }
}
