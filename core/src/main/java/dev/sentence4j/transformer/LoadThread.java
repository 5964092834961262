package dev.sentence4j.transformer;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Loading work on a thread of its own with a deep stack. ONNX Runtime recurses deeply while it starts:
 * creating its environment took some 12,000 native frames, more than the 1 MiB stack of a Spring Boot
 * application's main thread, and the JVM died with no error. Untouched stack costs no memory. The
 * caller may do other work (read the tokenizer) while it runs, then {@link #join} it.
 *
 * @param <T> what the work makes
 */
final class LoadThread<T> {
    private static final long STACK_BYTES = 64L << 20;

    /** Marks the threads this class starts, so that work already on one runs there. */
    private static final class Worker extends Thread {
        Worker(Runnable task) {
            super(null, task, "sentence4j-load", STACK_BYTES);
        }
    }

    private final FutureTask<T> task;

    private LoadThread(FutureTask<T> task) {
        this.task = task;
    }

    /** Starts the work on a thread of its own. */
    static <T> LoadThread<T> start(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        new Worker(task).start();
        return new LoadThread<>(task);
    }

    /** Runs the work on a load thread: this one if it is one, else a new one, waiting for it. */
    static <T> T run(Callable<T> work) {
        if (Thread.currentThread() instanceof Worker) {
            FutureTask<T> task = new FutureTask<>(work);
            task.run();
            return new LoadThread<>(task).join();
        }
        return start(work).join();
    }

    /** The work as a future, for a caller outside this package. */
    Future<T> future() {
        return task;
    }

    /**
     * Waits for the work and gives what it made, or throws what it threw. Waits on when interrupted
     * (keeping the interrupt for later): abandoning a load would leak the native resources it makes.
     */
    T join() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
