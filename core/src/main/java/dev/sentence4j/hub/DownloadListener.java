package dev.sentence4j.hub;

/**
 * Told how a download goes, file by file, to show progress. Called on the thread that downloads; files
 * already in the cache make no calls.
 */
public interface DownloadListener {
    /** A listener that ignores everything. */
    DownloadListener NONE = new DownloadListener() {
        @Override
        public void started(FileDownload file, long done) {}

        @Override
        public void progressed(FileDownload file, long done) {}

        @Override
        public void ended(FileDownload file) {}
    };

    /** A file starts downloading; {@code done} bytes are already there from an interrupted download. */
    void started(FileDownload file, long done);

    /** {@code done} of the file's bytes are on disk. */
    void progressed(FileDownload file, long done);

    /** The file is complete and checked, or its download failed. */
    void ended(FileDownload file);

    /**
     * One file being downloaded.
     *
     * @param repo the repository id
     * @param path the file's path inside the repository
     * @param size its size in bytes
     */
    record FileDownload(String repo, String path, long size) {}
}
