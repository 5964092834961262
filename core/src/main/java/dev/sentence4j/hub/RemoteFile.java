package dev.sentence4j.hub;

/**
 * A file of a repository as the Hub describes it.
 *
 * @param path the file's path inside the repository
 * @param size its size in bytes, or -1 when the Hub did not say
 * @param etag its blob name: the sha256 of its content for an LFS file, its git blob sha1 otherwise;
 *     {@code null} when the Hub did not say
 */
record RemoteFile(String path, long size, String etag) {
    /** Whether the size and blob name are known, so the file can be fetched into the cache. */
    boolean described() {
        return size >= 0 && etag != null && !etag.isEmpty();
    }
}
