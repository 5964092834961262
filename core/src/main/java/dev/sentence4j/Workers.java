package dev.sentence4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a model runs its transformer batches on: one batch per thread at a time, so however many
 * callers encode at once, the model never runs more batches than it has threads. Closing cancels the
 * batches not yet started and waits for the running ones, which native code cannot abandon midway.
 */
final class Workers implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int count;
    private final ExecutorService pool;
    private volatile boolean closed;

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
                    requireOpen();
                    results.add(task.call());
                }
                return results;
            }
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                requireOpen();
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
        } catch (CancellationException | RejectedExecutionException e) {
            throw new IllegalStateException("the model was closed while encoding", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        } catch (Exception e) {
            throw unchecked(e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the model is closed");
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
        closed = true;
        if (pool != null) {
            // shutdownNow hands back the batches it dropped without completing them: cancel each, so
            // callers waiting on one fail instead of waiting forever.
            for (Runnable dropped : pool.shutdownNow()) {
                if (dropped instanceof Future<?> future) {
                    future.cancel(false);
                }
            }
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
