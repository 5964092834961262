package dev.sentence4j.server;

import dev.sentence4j.TokenizedTexts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * Checks one request's inputs and hands them to the batcher: each request is tokenized on its own, once,
 * by the model's own {@code tokenize} (which adds the prompt), before any merging, so that an input too
 * long for the model fails only its own request, and so that the batcher knows how many tokens each
 * request brings; the model then runs those tokens without tokenizing again. Every family's routes
 * submit through this.
 *
 * @param <I> an input: a text, or a pair of texts
 * @param <K> the options of a model call
 * @param <O> the output for one input
 */
final class BatchedRequests<I, K, O> {
    /**
     * A request's outputs.
     *
     * @param outputs one per input, in order
     * @param tokens the tokens the model read, special tokens and prompt included
     */
    record Done<O>(List<O> outputs, int tokens, long tokenizeNanos, long queuedNanos, long inferenceNanos) {
        /** TEI's timing headers, in milliseconds. */
        Map<String, String> headers() {
            return headers(tokens, tokenizeNanos, queuedNanos, inferenceNanos);
        }

        /** TEI's timing headers of a reply that took these tokens and times, in milliseconds. */
        static Map<String, String> headers(int tokens, long tokenizeNanos, long queuedNanos, long inferenceNanos) {
            return Map.of(
                    "x-compute-tokens", Integer.toString(tokens),
                    "x-tokenization-time", Long.toString(tokenizeNanos / 1_000_000),
                    "x-queue-time", Long.toString(queuedNanos / 1_000_000),
                    "x-inference-time", Long.toString(inferenceNanos / 1_000_000));
        }
    }

    /** The model's {@code tokenize}: a request's inputs with the prompt the options call for, tokenized once. */
    @FunctionalInterface
    interface Tokenize<I, K> {
        TokenizedTexts<I> tokenize(List<I> inputs, K options);
    }

    private final Tokenize<I, K> tokenize;
    private final Batcher<I, K, O> batcher;
    private final int maxSeqLength;
    private final ModelMetrics metrics;
    private final Executor replies;

    /**
     * @param maxSeqLength the most tokens the model takes per input
     * @param replies where results continue once their batch is done, off the batcher's threads
     */
    BatchedRequests(Tokenize<I, K> tokenize, Batcher<I, K, O> batcher, int maxSeqLength, ModelMetrics metrics, Executor replies) {
        this.tokenize = tokenize;
        this.batcher = batcher;
        this.maxSeqLength = maxSeqLength;
        this.metrics = metrics;
        this.replies = replies;
    }

    /**
     * Runs a request's inputs once they have been merged into a batch.
     *
     * @param options what the inputs are tokenized for and run with
     * @param truncate cut inputs longer than the model takes, rather than refuse them
     * @param names the field each input came from, for error messages ({@code inputs[2]})
     * @throws ApiException for an input too long for the model when the request does not truncate
     */
    CompletableFuture<Done<O>> submit(List<I> texts, K options, boolean truncate, IntFunction<String> names) {
        long start = System.nanoTime();
        TokenizedTexts<I> inputs = tokenize.tokenize(texts, options);
        int total = 0;
        for (int i = 0; i < inputs.size(); i++) {
            int length = inputs.tokenCount(i);
            if (length > maxSeqLength && !truncate) {
                throw new ApiException(Failure.INPUT_TOO_LONG, names.apply(i) + " has " + length + " tokens, more than the "
                        + maxSeqLength + " the model takes; send \"truncate\": true to cut it, or start the server with "
                        + "--auto-truncate", names.apply(i));
            }
            total += Math.min(length, maxSeqLength);
        }
        long tokenizeNanos = System.nanoTime() - start;
        metrics.tokenized(tokenizeNanos);
        int read = total;
        return batcher.submit(inputs, options, total).thenApplyAsync(
                result -> new Done<>(result.outputs(), read, tokenizeNanos, result.queuedNanos(), result.inferenceNanos()),
                replies);
    }
}
