package dev.sentence4j.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Where a model's calls wait until the test opens it, so that a test can hold work in flight; it counts arrivals. */
final class Gate {
    private final CountDownLatch open = new CountDownLatch(1);
    private final Semaphore arrived = new Semaphore(0);

    /** Called by the held work: says it has arrived, then waits for the gate to open. */
    void pass() {
        arrived.release();
        try {
            if (!open.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until one more call has arrived at the gate. */
    void awaitArrival() throws InterruptedException {
        if (!arrived.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no call reached the gate");
        }
    }

    void open() {
        open.countDown();
    }
}
