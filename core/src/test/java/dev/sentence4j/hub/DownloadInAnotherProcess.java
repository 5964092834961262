package dev.sentence4j.hub;

import java.net.URI;
import java.nio.file.Path;

/**
 * Downloads one file of a repository in a process of its own, for tests of concurrent downloads.
 * Arguments: endpoint, cache folder, repository id, file path. Prints where the file lies.
 */
public final class DownloadInAnotherProcess {
    private DownloadInAnotherProcess() {}

    public static void main(String[] args) {
        Hub hub = Hub.fromEnvironment().withEndpoint(URI.create(args[0])).withCacheDirectory(Path.of(args[1]))
                .withToken(null).withOffline(false);
        System.out.println(hub.open(args[2], null).file(args[3]));
    }
}
