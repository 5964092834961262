package dev.sentence4j.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * What the server counts and times for one model it serves: its queue, its requests in flight, and
 * how long its requests spend in each stage, each line labelled with the model's name.
 */
final class ModelMetrics {
    /** Durations from 100 µs to about 100 s, each bound twice the one before. */
    static final double[] SECONDS = Histogram.exponential(0.0001, 2, 21);

    private final String labels;
    private final AtomicInteger queueSize = new AtomicInteger();
    private final IntSupplier inFlight;

    final Histogram tokenizationDuration;
    final Histogram queueDuration;
    final Histogram inferenceDuration;
    final Histogram batchSize;
    final Histogram batchTokens;

    /**
     * @param model the model's name, the {@code model} label of its lines
     * @param inFlight how many of its requests hold a slot of {@code --max-concurrent-requests} now
     */
    ModelMetrics(String model, IntSupplier inFlight) {
        this.labels = "model=\"" + model.replace("\\", "\\\\").replace("\"", "\\\"") + "\",";
        this.inFlight = inFlight;
        tokenizationDuration = new Histogram("te_request_tokenization_duration",
                "Seconds spent tokenizing a request's inputs to check and count them.", labels, SECONDS);
        queueDuration = new Histogram("te_request_queue_duration",
                "Seconds a request waited to be merged into a batch.", labels, SECONDS);
        inferenceDuration = new Histogram("te_request_inference_duration",
                "Seconds the model took on the batch that held a request.", labels, SECONDS);
        batchSize = new Histogram("te_batch_next_size",
                "Texts in each merged batch handed to the model.", labels, Histogram.exponential(1, 2, 13));
        batchTokens = new Histogram("te_batch_next_tokens",
                "Tokens in each merged batch handed to the model.", labels, Histogram.exponential(1, 2, 21));
    }

    /** A model's metrics for tests and tools that run one batcher alone. */
    static ModelMetrics unnamed() {
        return new ModelMetrics("", () -> 0);
    }

    void queueSize(int size) {
        queueSize.set(size);
    }

    /** The histograms, in the order {@code /metrics} writes them. */
    List<Histogram> histograms() {
        return List.of(tokenizationDuration, queueDuration, inferenceDuration, batchSize, batchTokens);
    }

    /** The {@code te_queue_size} line. */
    void renderQueueSize(StringBuilder out) {
        gaugeLine(out, "te_queue_size", queueSize.get());
    }

    /** The {@code te_request_in_flight} line. */
    void renderInFlight(StringBuilder out) {
        gaugeLine(out, "te_request_in_flight", inFlight.getAsInt());
    }

    private void gaugeLine(StringBuilder out, String name, long value) {
        out.append(name).append('{').append(labels, 0, labels.length() - 1).append("} ").append(value).append('\n');
    }
}
