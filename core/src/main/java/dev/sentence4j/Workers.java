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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a model's transformer batches, at most {@link #count()} at a time however many callers encode at
 * once: every batch holds one of {@code count} permits while it runs, whether on one of the workers (a
 * call of several batches) or on the caller's own thread (a call of one batch, which spares a thread
 * hop). Closing cancels the batches not yet started and waits for the running ones, which native code
 * cannot abandon midway.
 */
final class Workers implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int count;
    private final ExecutorService pool;
    private final Semaphore permits;
    private volatile boolean closed;

    Workers(int count) {
        this.count = count;
        this.permits = new Semaphore(count, true);
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
                    results.add(withPermit(task));
                }
                return results;
            }
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                requireOpen();
                futures.add(pool.submit(() -> withPermit(task)));
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

    /** Runs one batch holding a permit, so that no more than {@link #count()} run at once anywhere. */
    private <T> T withPermit(Callable<T> task) throws Exception {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            if (closed) {
                throw new IllegalStateException("the model was closed while encoding", e);
            }
            throw e;
        }
        try {
            requireOpen();
            return task.call();
        } finally {
            permits.release();
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
        // Waits for the batches running on callers' threads too, then lets those waiting fail on 'closed'.
        permits.acquireUninterruptibly(count);
        permits.release(count);
    }
}
