package dev.sentence4j.server;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.TokenizedTexts;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges the texts of many requests into batches under a token budget, encodes each batch in one call
 * and hands every request its own vectors back. Requests wait in arrival order; a batch takes the
 * oldest requests that fit the budget (always at least one). Requests with different encode options
 * share a batch but not a call. If a merged call fails, each of its requests is encoded alone, so
 * that one bad request fails by itself.
 */
final class Batcher implements AutoCloseable {
    /**
     * Merged calls that run at once. The model already spreads one call over all its workers; a
     * second call keeps them busy while the first tokenizes its texts and finishes its last runs. With
     * one runner, batches held more texts but the workers idled between calls: under 64 clients on
     * two cores it served 82-91% of offline encode's throughput, two runners 88-95%.
     */
    private static final int RUNNERS = 2;

    /**
     * A request's vectors.
     *
     * @param queuedNanos how long it waited to join a batch
     * @param inferenceNanos how long its batch took
     */
    record Result(float[][] vectors, long queuedNanos, long inferenceNanos) {}

    private record Job(TokenizedTexts texts, int tokens, long queuedAt, CompletableFuture<Result> result) {}

    private final Encoder encoder;
    private final int maxBatchTokens;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final List<Thread> runners = new ArrayList<>();
    private boolean closed;

    Batcher(Encoder encoder, int maxBatchTokens, Metrics metrics) {
        this.encoder = encoder;
        this.maxBatchTokens = maxBatchTokens;
        this.metrics = metrics;
        for (int i = 1; i <= RUNNERS; i++) {
            Thread runner = new Thread(this::run, "sentence4j-batcher-" + i);
            runner.setDaemon(true);
            runners.add(runner);
            runner.start();
        }
    }

    /**
     * Queues tokenized texts to be encoded with the options they were tokenized for. The future completes
     * on a runner thread: follow it with an asynchronous stage, so that replies are not written on the runners.
     *
     * @param tokens the tokens the texts make, which count against the batch budget
     */
    CompletableFuture<Result> submit(TokenizedTexts texts, int tokens) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                result.completeExceptionally(new ApiException(Failure.SHUTTING_DOWN, "the server is stopping", null));
                return result;
            }
            queue.add(new Job(texts, tokens, System.nanoTime(), result));
            metrics.queueSize(queue.size());
            waiting.signal();
        } finally {
            lock.unlock();
        }
        return result;
    }

    private void run() {
        List<Job> batch;
        while ((batch = next()) != null) {
            try {
                encode(batch);
            } catch (Throwable e) {
                // Out of memory, most likely: fail what is left of the batch and keep serving.
                batch.forEach(job -> fail(job, e));
                if (e instanceof Error error && !(e instanceof OutOfMemoryError)) {
                    throw error;
                }
            }
        }
    }

    /** The oldest requests that fit the budget, waiting for one if none is queued; null once closed. */
    private List<Job> next() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                waiting.awaitUninterruptibly();
            }
            List<Job> batch = new ArrayList<>();
            long tokens = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || tokens + queue.peek().tokens() <= maxBatchTokens)) {
                Job job = queue.poll();
                tokens += job.tokens();
                batch.add(job);
            }
            metrics.queueSize(queue.size());
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void encode(List<Job> batch) {
        Map<EncodeOptions, List<Job>> calls = new LinkedHashMap<>();
        for (Job job : batch) {
            calls.computeIfAbsent(job.texts().options(), options -> new ArrayList<>()).add(job);
        }
        for (List<Job> call : calls.values()) {
            try {
                encodeTogether(call);
            } catch (RuntimeException e) {
                if (call.size() == 1) {
                    fail(call.get(0), e);
                } else {
                    encodeEachAlone(call);
                }
            }
        }
    }

    private void encodeEachAlone(List<Job> call) {
        for (Job job : call) {
            try {
                encodeTogether(List.of(job));
            } catch (RuntimeException e) {
                fail(job, e);
            }
        }
    }

    private void encodeTogether(List<Job> call) {
        TokenizedTexts texts = TokenizedTexts.join(call.stream().map(Job::texts).toList());
        int tokens = call.stream().mapToInt(Job::tokens).sum();
        long start = System.nanoTime();
        float[][] vectors = encoder.encode(texts).vectors();
        long inference = System.nanoTime() - start;
        metrics.batchSize.observe(texts.size());
        metrics.batchTokens.observe(tokens);
        int from = 0;
        for (Job job : call) {
            float[][] own = Arrays.copyOfRange(vectors, from, from + job.texts().size());
            from += job.texts().size();
            long queued = start - job.queuedAt();
            metrics.queueDuration.observeNanos(queued);
            metrics.inferenceDuration.observeNanos(inference);
            job.result().complete(new Result(own, queued, inference));
        }
    }

    private void fail(Job job, Throwable e) {
        job.result().completeExceptionally(e);
    }

    /**
     * Takes no new requests, fails those still queued, and waits for the calls running. The server
     * closes the batcher once its requests are answered, or once it has stopped waiting for them: a
     * request still queued then has no client left, and the model must not be closed under a call.
     */
    @Override
    public void close() {
        List<Job> dropped;
        lock.lock();
        try {
            closed = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            metrics.queueSize(0);
            waiting.signalAll();
        } finally {
            lock.unlock();
        }
        dropped.forEach(job -> fail(job, new ApiException(Failure.SHUTTING_DOWN, "the server stopped before this request ran", null)));
        for (Thread runner : runners) {
            try {
                runner.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
