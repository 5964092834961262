package dev.sentence4j.server;

import dev.sentence4j.SentenceTransformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The built-in models, each loaded once for the whole test run: loading one takes a second or two. */
final class TestModels {
    private static final Map<String, SentenceTransformer> LOADED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LOADED.values().forEach(SentenceTransformer::close)));
    }

    private TestModels() {}

    static SentenceTransformer get(String id) {
        return LOADED.computeIfAbsent(id, SentenceTransformer::load);
    }
}
