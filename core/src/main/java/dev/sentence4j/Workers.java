package dev.sentence4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a model runs its transformer batches on: one batch per thread at a time, so however many
 * callers encode at once, the model never runs more batches than it has threads.
 */
final class Workers implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int count;
    private final ExecutorService pool;

    Workers(int count) {
        this.count = count;
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = count == 1 ? null : Executors.newFixedThreadPool(count, task -> {
            Thread thread = new Thread(task, "sentence4j-" + id + "-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** How many batches run at once. */
    int count() {
        return count;
    }

    /** Runs the tasks, at most {@link #count()} at a time, and returns their results in order. */
    <T> List<T> run(List<Callable<T>> tasks) {
        List<T> results = new ArrayList<>(tasks.size());
        try {
            if (pool == null || tasks.size() == 1) {
                for (Callable<T> task : tasks) {
                    results.add(task.call());
                }
                return results;
            }
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            try {
                for (Future<T> future : futures) {
                    results.add(future.get());
                }
            } finally {
                futures.forEach(f -> f.cancel(true));
            }
            return results;
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        } catch (Exception e) {
            throw unchecked(e);
        }
    }

    private static RuntimeException unchecked(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e.getMessage(), e);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
