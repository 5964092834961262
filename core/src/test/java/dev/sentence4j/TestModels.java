package dev.sentence4j;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in models, each loaded once for the whole test run: loading one takes a second or two.
 * They stay open until the test JVM exits and the OS frees them: closing them from a shutdown hook would
 * race ONNX Runtime's own hook, which frees its environment under the sessions.
 */
public final class TestModels {
    private static final Map<String, SentenceTransformer> LOADED = new ConcurrentHashMap<>();

    private TestModels() {}

    public static SentenceTransformer get(String id) {
        return LOADED.computeIfAbsent(id, SentenceTransformer::load);
    }
}
