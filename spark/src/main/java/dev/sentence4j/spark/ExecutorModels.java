package dev.sentence4j.spark;

import dev.sentence4j.SentenceTransformer;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models loaded in this JVM (an executor, or the driver in local mode): one per {@link ModelSpec},
 * loaded by the first task that needs it and shared by every later task and job, closed by
 * {@link Sentence4jPlugin} when the executor or the application stops. A model is thread-safe and runs
 * at most its thread count of batches at once, however many tasks encode with it.
 *
 * <p>Without the plugin nothing closes them and the process's exit frees their memory. A JVM shutdown
 * hook cannot close them safely: ONNX Runtime frees its environment from a shutdown hook of its own,
 * the JVM runs shutdown hooks at once in no set order, and a session used or released while its
 * environment is freed can crash the process (microsoft/onnxruntime#31352). For the same reason
 * {@link #closeAll()} leaves the models alone when it is called while the JVM exits (Spark stops a
 * context or an executor that nobody stopped from its own shutdown hook).
 */
final class ExecutorModels {
    private static final Map<ModelSpec, SentenceTransformer> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final AtomicInteger CLOSES = new AtomicInteger();

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

    /**
     * Closes every model loaded so far, each once, and returns when they are closed, however many
     * callers close at the same time (in local mode the driver and its executor stop in one JVM, on
     * different threads); a later task loads its model again. Does nothing while the JVM exits (see
     * the class comment).
     */
    static synchronized void closeAll() {
        if (exiting()) {
            return;
        }
        RuntimeException failure = null;
        for (Iterator<Map.Entry<ModelSpec, SentenceTransformer>> models = LOADED.entrySet().iterator(); models.hasNext(); ) {
            Map.Entry<ModelSpec, SentenceTransformer> model = models.next();
            models.remove();
            try {
                model.getValue().close();
                CLOSES.incrementAndGet();
            } catch (RuntimeException e) {
                // The other models still get closed.
                if (failure == null) {
                    failure = new IllegalStateException("cannot close the model " + model.getKey().describe() + ": "
                            + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How many models this JVM has loaded so far: a test sees that later jobs reuse the first load. */
    static int loads() {
        return LOADS.get();
    }

    /** How many models this JVM has closed so far: a test sees that each is closed once. */
    static int closes() {
        return CLOSES.get();
    }

    /** How many models this JVM holds open now. */
    static int held() {
        return LOADED.size();
    }

    /** Whether the JVM is running its shutdown hooks: it then refuses a new one. */
    private static boolean exiting() {
        Thread probe = new Thread(() -> { }, "sentence4j-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
