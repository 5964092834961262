package dev.sentence4j.server;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TestModels;
import java.io.IOException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server on loopback for a whole test class: {@code @RegisterExtension static final TestServer
 * SERVER = new TestServer(...)} starts it before the class's tests and stops it after them.
 */
final class TestServer implements BeforeAllCallback, AfterAllCallback {
    private final String modelId;
    private final UnaryOperator<ServerOptions> options;
    private EmbeddingServer server;
    private Http http;

    /**
     * @param options changes to the defaults (loopback and a free port are set already)
     */
    TestServer(String modelId, UnaryOperator<ServerOptions> options) {
        this.modelId = modelId;
        this.options = options;
    }

    /** Loopback, any free port, everything else as given. */
    static ServerOptions loopback() {
        return ServerOptions.defaults().withHost("127.0.0.1").withPort(0);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = EmbeddingServer.start(model(), options.apply(loopback()));
        http = new Http(server.uri());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    SentenceTransformer model() {
        return TestModels.get(modelId);
    }

    Http http() {
        return http;
    }

    EmbeddingServer server() {
        return server;
    }
}
