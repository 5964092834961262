package dev.sentence4j.server;

import java.util.concurrent.CompletableFuture;

/**
 * One path the server answers.
 *
 * @param method the HTTP method it answers ({@code GET} also answers {@code HEAD})
 * @param needsKey whether it asks for the API key, when the server has one
 * @param errors how its errors are written
 */
record Route(String path, String method, boolean needsKey, ErrorFormat errors, Action action) {
    /** What a route does with a request body. */
    @FunctionalInterface
    interface Action {
        /** The reply; an {@link ApiException}, thrown or as the future's failure, becomes an error reply. */
        CompletableFuture<Reply> run(byte[] body);
    }

    /** A GET route. */
    static Route get(String path, boolean needsKey, Action action) {
        return new Route(path, "GET", needsKey, ErrorFormat.TEI, action);
    }
}
