package dev.sentence4j.server;

import dev.sentence4j.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server on loopback for a whole test class, serving a model that the class loads (often from a folder it
 * writes): {@code @RegisterExtension static final FolderServer<CrossEncoder> SERVER = new FolderServer<>(temp ->
 * CrossEncoder.load(...))} loads the model and starts the server before the class's
 * tests, and stops both after them.
 */
final class FolderServer<M extends Model> implements BeforeAllCallback, AfterAllCallback {
    /** Loads the model; {@code temp} is a folder of its own to write it in, deleted after the tests. */
    @FunctionalInterface
    interface Loader<M> {
        M load(Path temp) throws IOException;
    }

    private final Loader<M> loader;
    private final UnaryOperator<ServerOptions> options;
    private Path temp;
    private M model;
    private EmbeddingServer server;
    private Http http;

    /** Serves the model with the default options, on loopback and a free port. */
    FolderServer(Loader<M> loader) {
        this(loader, UnaryOperator.identity());
    }

    /**
     * @param options changes to the defaults (loopback and a free port are set already)
     */
    FolderServer(Loader<M> loader, UnaryOperator<ServerOptions> options) {
        this.loader = loader;
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        temp = Files.createTempDirectory("sentence4j-served");
        model = loader.load(temp);
        server = EmbeddingServer.start(List.of(model), options.apply(TestServer.loopback()));
        http = new Http(server.uri());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        model.close();
        try (Stream<Path> files = Files.walk(temp)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    M model() {
        return model;
    }

    Http http() {
        return http;
    }
}
