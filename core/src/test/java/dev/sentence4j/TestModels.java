package dev.sentence4j;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The built-in models, each loaded once for the whole test run: loading one takes a second or two. */
public final class TestModels {
    private static final Map<String, SentenceTransformer> LOADED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LOADED.values().forEach(SentenceTransformer::close)));
    }

    private TestModels() {}

    public static SentenceTransformer get(String id) {
        return LOADED.computeIfAbsent(id, SentenceTransformer::load);
    }
}
