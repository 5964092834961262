package dev.sentence4j;

import dev.sentence4j.transformer.RuntimeOptions;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * What every model family does to be thread-safe and closable: calls share the model's workers, and
 * closing frees its native resources only once no call uses them.
 */
final class ModelGuard implements AutoCloseable {
    private final String name;
    private final Workers workers;
    private final Runnable free;
    /** Held by every call, taken whole by close. */
    private final ReadWriteLock use = new ReentrantReadWriteLock();
    private boolean closed;

    /**
     * @param name the model, for messages
     * @param threads batches run at once, each on one core; 0 for one per physical core
     * @param free frees the model's native resources
     */
    ModelGuard(String name, int threads, Runnable free) {
        this.name = name;
        this.workers = new Workers(threads > 0 ? threads : RuntimeOptions.physicalCores());
        this.free = free;
    }

    /**
     * Runs a call on the model's workers; also any other use of its native resources, such as
     * tokenizing a few texts, which needs no workers but must not meet a close.
     *
     * @throws IllegalStateException if the model is closed
     */
    <T> T call(Function<Workers, T> call) {
        use.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            return call.apply(workers);
        } finally {
            use.readLock().unlock();
        }
    }

    /**
     * Frees the model's native resources. Calls in progress finish their running batches and fail;
     * later calls fail. Closing again does nothing.
     */
    @Override
    public void close() {
        workers.close();
        use.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            free.run();
        } finally {
            use.writeLock().unlock();
        }
    }
}
