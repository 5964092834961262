package dev.sentence4j.server;

import java.util.concurrent.CompletableFuture;

/**
 * One path the server answers.
 *
 * @param method the HTTP method it answers
 * @param needsKey whether it asks for the API key, when the server has one
 * @param usesModel whether it takes a slot of {@code --max-concurrent-requests}
 * @param errors how its errors are written
 */
record Route(String path, String method, boolean needsKey, boolean usesModel, ErrorFormat errors, Action action) {
    /** What a route does with a request body. */
    @FunctionalInterface
    interface Action {
        /** The reply; an {@link ApiException}, thrown or as the future's failure, becomes an error reply. */
        CompletableFuture<Reply> run(byte[] body);
    }

    /** A POST route that encodes with the model. */
    static Route encoding(String path, ErrorFormat errors, Action action) {
        return new Route(path, "POST", true, true, errors, action);
    }

    /** A POST route that does not run the model. */
    static Route post(String path, Action action) {
        return new Route(path, "POST", true, false, ErrorFormat.TEI, action);
    }

    /** A GET route. */
    static Route get(String path, boolean needsKey, Action action) {
        return new Route(path, "GET", needsKey, false, ErrorFormat.TEI, action);
    }
}
