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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promises of Workers, with the running batches held at a gate so that what runs and in which order
 * is fixed by the test, not by timing: closing while a call runs, and never more batches at once than
 * its threads.
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

    @Test
    void neverRunsMoreBatchesAtOnceThanItsCountWhateverTheCallers() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        Callable<String> batch = () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            gate.await();
            running.decrementAndGet();
            return "done";
        };
        List<Thread> callers = new ArrayList<>();
        List<List<String>> results = new ArrayList<>();
        try (Workers workers = new Workers(2)) {
            // Five calls of one batch, which run on their callers' threads, and one of three, which runs on the workers.
            for (int c = 0; c < 6; c++) {
                List<Callable<String>> batches = c < 5 ? List.of(batch) : List.of(batch, batch, batch);
                Thread caller = new Thread(() -> {
                    List<String> done = workers.run(batches);
                    synchronized (results) {
                        results.add(done);
                    }
                });
                callers.add(caller);
                caller.start();
            }
            // Every caller waits: at the gate inside a batch, for a permit, or for its futures.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!callers.stream().allMatch(t -> t.getState() == Thread.State.WAITING) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(callers).allMatch(t -> t.getState() == Thread.State.WAITING);

            assertThat(running.get()).as("batches running while every caller waits").isLessThanOrEqualTo(2);

            gate.countDown();
            for (Thread caller : callers) {
                caller.join();
            }
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(results).hasSize(6).allMatch(done -> done.stream().allMatch("done"::equals));
    }
}
