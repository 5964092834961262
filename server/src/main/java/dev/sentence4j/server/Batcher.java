package dev.sentence4j.server;

import dev.sentence4j.TokenizedTexts;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges the inputs of many requests (texts to embed, pairs to score), each tokenized once by its
 * request, into batches under a token budget, runs each batch in one call of the model and hands every
 * request its own outputs back. Requests wait in arrival order; a batch takes the oldest requests that
 * fit the budget (always at least one). Requests with different options share a batch but not a call.
 * If a merged call fails, each of its requests is run alone, so that one bad request fails by itself.
 *
 * @param <I> an input: a text, or a pair of texts
 * @param <K> the options of a call, which requests must share to be merged into one
 * @param <O> the output for one input: a vector, a score
 */
final class Batcher<I, K, O> implements AutoCloseable {
    /**
     * Merged calls that run at once. The model already spreads one call over all its workers; a
     * second call keeps them busy while the first tokenizes its texts and finishes its last runs. With
     * one runner, batches held more texts but the workers idled between calls: under 64 clients on
     * two cores it served 82-91% of offline encode's throughput, two runners 88-95%.
     */
    private static final int RUNNERS = 2;

    /** The model as the batcher calls it: on the inputs of several requests at once, joined. */
    @FunctionalInterface
    interface Model<I, O> {
        /** One output per input, in order, run with the options the inputs were tokenized for. */
        List<O> run(TokenizedTexts<I> inputs);
    }

    /**
     * A request's outputs.
     *
     * @param outputs one per input, in order
     * @param queuedNanos how long it waited to join a batch
     * @param inferenceNanos how long its batch took
     */
    record Result<O>(List<O> outputs, long queuedNanos, long inferenceNanos) {}

    private record Job<I, K, O>(TokenizedTexts<I> inputs, K options, int tokens, long queuedAt,
            CompletableFuture<Result<O>> result) {}

    private final Model<I, O> model;
    private final int maxBatchTokens;
    private final ModelMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    private final ArrayDeque<Job<I, K, O>> queue = new ArrayDeque<>();
    private final List<Thread> runners = new ArrayList<>();
    private boolean closed;

    Batcher(Model<I, O> model, int maxBatchTokens, ModelMetrics metrics) {
        this.model = model;
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
     * Queues tokenized inputs to be run with the options they were tokenized for. The future completes
     * on a runner thread: follow it with an asynchronous stage, so that replies are not written on the
     * runners.
     *
     * @param options the options the inputs were tokenized for: requests merge into one call only with equal options
     * @param tokens the tokens the inputs make, which count against the batch budget
     */
    CompletableFuture<Result<O>> submit(TokenizedTexts<I> inputs, K options, int tokens) {
        CompletableFuture<Result<O>> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                result.completeExceptionally(new ApiException(Failure.SHUTTING_DOWN, "the server is stopping", null));
                return result;
            }
            queue.add(new Job<>(inputs, options, tokens, System.nanoTime(), result));
            metrics.queueSize(queue.size());
            waiting.signal();
        } finally {
            lock.unlock();
        }
        return result;
    }

    private void run() {
        List<Job<I, K, O>> batch;
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
    private List<Job<I, K, O>> next() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                waiting.awaitUninterruptibly();
            }
            List<Job<I, K, O>> batch = new ArrayList<>();
            long tokens = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || tokens + queue.peek().tokens() <= maxBatchTokens)) {
                Job<I, K, O> job = queue.poll();
                tokens += job.tokens();
                batch.add(job);
            }
            metrics.queueSize(queue.size());
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void encode(List<Job<I, K, O>> batch) {
        Map<K, List<Job<I, K, O>>> calls = new LinkedHashMap<>();
        for (Job<I, K, O> job : batch) {
            calls.computeIfAbsent(job.options(), options -> new ArrayList<>()).add(job);
        }
        for (List<Job<I, K, O>> call : calls.values()) {
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

    private void encodeEachAlone(List<Job<I, K, O>> call) {
        for (Job<I, K, O> job : call) {
            try {
                encodeTogether(List.of(job));
            } catch (RuntimeException e) {
                fail(job, e);
            }
        }
    }

    private void encodeTogether(List<Job<I, K, O>> call) {
        TokenizedTexts<I> inputs = TokenizedTexts.join(call.stream().map(Job::inputs).toList());
        int tokens = call.stream().mapToInt(Job::tokens).sum();
        long start = System.nanoTime();
        List<O> outputs = model.run(inputs);
        long inference = System.nanoTime() - start;
        metrics.batch(inputs.size(), tokens);
        int from = 0;
        for (Job<I, K, O> job : call) {
            List<O> own = List.copyOf(outputs.subList(from, from + job.inputs().size()));
            from += job.inputs().size();
            long queued = start - job.queuedAt();
            metrics.request(queued, inference);
            job.result().complete(new Result<>(own, queued, inference));
        }
    }

    private void fail(Job<I, K, O> job, Throwable e) {
        job.result().completeExceptionally(e);
    }

    /**
     * Takes no new requests, fails those still queued, and waits for the calls running. The server
     * closes the batcher once its requests are answered, or once it has stopped waiting for them: a
     * request still queued then has no client left, and the model must not be closed under a call.
     */
    @Override
    public void close() {
        List<Job<I, K, O>> dropped;
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
