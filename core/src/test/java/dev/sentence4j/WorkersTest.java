package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing the model's workers while a call runs, with the running batches held at a gate: what runs
 * and in which order is fixed by the test, not by timing.
 */
class WorkersTest {

    @Test
    @Timeout(60)
    void closingWhileRunningLetsRunningBatchesFinishAndFailsTheCall() throws Exception {
        Workers workers = new Workers(2);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch gate = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        List<Callable<String>> batches = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            String name = "batch " + b;
            batches.add(() -> {
                running.countDown();
                // Native code runs to its end whatever happens: so does this batch, interrupted or not.
                awaitUninterruptibly(gate);
                events.add(name + " finished");
                return name;
            });
        }
        for (int b = 2; b < 6; b++) {
            String name = "batch " + b;
            batches.add(() -> {
                events.add(name + " ran");
                return name;
            });
        }
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<List<String>> call = caller.submit(() -> workers.run(batches));
            running.await();
            Thread closer = new Thread(() -> {
                workers.close();
                events.add("closed");
            });
            closer.start();
            // close() now waits for the running batches: it has dropped the others and awaits termination.
            while (closer.getState() != Thread.State.TIMED_WAITING) {
                assertThat(closer.isAlive()).as("close returned while two batches were still running").isTrue();
                Thread.yield();
            }
            assertThat(call).isNotDone();
            gate.countDown();
            closer.join();

            Throwable failure = catchThrowable(() -> call.get(30, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(IllegalStateException.class).hasMessage("the model was closed while encoding");
            assertThat(events).containsExactlyInAnyOrder("batch 0 finished", "batch 1 finished", "closed");
            assertThat(events.get(2)).as("close returns only after the running batches").isEqualTo("closed");
            assertThat(catchThrowable(() -> workers.run(List.of(() -> "after")))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the model is closed");
        } finally {
            caller.shutdownNow();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
