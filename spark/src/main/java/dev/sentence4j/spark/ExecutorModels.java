package dev.sentence4j.spark;

import dev.sentence4j.SentenceTransformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models loaded in this JVM (an executor, or the driver in local mode): one per {@link ModelSpec},
 * loaded by the first task that needs it and shared by every later task and job, closed when the JVM
 * stops. A model is thread-safe and runs at most its thread count of batches at once, however many
 * tasks encode with it.
 */
final class ExecutorModels {
    private static final Map<ModelSpec, SentenceTransformer> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "sentence4j-close-models"));
    }

    private ExecutorModels() {}

    /**
     * The model of a spec whose threads are settled, loading it on first use. Tasks that ask while it
     * loads wait for it rather than load their own.
     */
    static SentenceTransformer get(ModelSpec spec) {
        return LOADED.computeIfAbsent(spec, key -> {
            LOADS.incrementAndGet();
            return key.load();
        });
    }

    /** How many models this JVM has loaded so far: a test sees that later jobs reuse the first load. */
    static int loads() {
        return LOADS.get();
    }

    private static void closeAll() {
        LOADED.values().forEach(SentenceTransformer::close);
        LOADED.clear();
    }
}
