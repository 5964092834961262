package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The promise of Workers, counted with a gate rather than timed: never more batches at once than its threads. */
class WorkersTest {
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
