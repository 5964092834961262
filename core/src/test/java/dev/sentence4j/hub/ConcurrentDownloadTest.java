package dev.sentence4j.hub;

import dev.sentence4j.ChildJvm;
import dev.sentence4j.files.CacheLock;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes, and two threads of one, loading the same file into one cache at once. */
class ConcurrentDownloadTest {
    private static final String REPO = "test-org/shared";

    @TempDir
    Path cache;

    @Test
    void oneDownloadServesEveryoneAndTheCacheStaysWhole() throws Exception {
        byte[] weights = new byte[2_000_000];
        new Random(7).nextBytes(weights);
        List<Thread> started = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task);
            started.add(thread);
            return thread;
        });
        try (FakeHub server = FakeHub.start()) {
            server.repo(REPO).commit().file("weights.bin", weights).push("main");
            CountDownLatch held = server.holdDownloads("weights.bin");

            Process other = new ProcessBuilder(ChildJvm.java(),
                    ChildJvm.classPathOption(DownloadInAnotherProcess.class), DownloadInAnotherProcess.class.getName(),
                    server.endpoint().toString(), cache.toString(), REPO, "weights.bin")
                    .redirectErrorStream(true).start();
            // The other process now holds the blob's lock, its download held back by the server.
            await(() -> server.requestsFor("/cdn/").size() == 1);
            List<Future<Path>> here = List.of(
                    threads.submit(() -> server.client(cache).open(REPO, null).file("weights.bin")),
                    threads.submit(() -> server.client(cache).open(REPO, null).file("weights.bin")));
            await(() -> server.requestsFor("/api/models/" + REPO).size() == 3);
            // Until the other process lets go, each thread here either waits for the blob's lock, or,
            // were the lock not held across processes, asks the server for the blob a second time.
            await(() -> server.requestsFor("/cdn/").size() > 1 || here.stream().anyMatch(Future::isDone)
                    || started.size() == 2 && started.stream().allMatch(ConcurrentDownloadTest::waitsForTheLock));
            assertThat(server.requestsFor("/cdn/")).as("blob downloads before the first ends").hasSize(1);
            assertThat(here).noneMatch(Future::isDone);
            held.countDown();

            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String printed = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(other.exitValue()).as(printed).isZero();
            for (Future<Path> result : here) {
                assertThat(result.get(60, TimeUnit.SECONDS)).hasToString(printed).hasBinaryContent(weights);
            }
            assertThat(server.requestsFor("/cdn/")).hasSize(1);
            assertThat(leftovers()).isEmpty();
        } finally {
            threads.shutdownNow();
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(p -> p.toString().endsWith(".incomplete") || p.toString().endsWith(".tmp")).toList();
        }
    }

    /** Whether a thread is parked inside {@link CacheLock#acquire}: on the process's lock, or the file's. */
    private static boolean waitsForTheLock(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        boolean blocked = stack.length > 0 && List.of("park", "lock0").contains(stack[0].getMethodName());
        return blocked && Arrays.stream(stack).anyMatch(frame -> frame.getClassName().equals(CacheLock.class.getName())
                && frame.getMethodName().equals("acquire"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited a minute").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
