package dev.sentence4j.server;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * What the server counts and times for one model it serves: its queue, its requests in flight, and
 * how long its requests spend in each stage, each meter tagged with the model's name.
 */
final class ModelMetrics {
    private final AtomicInteger queueSize = new AtomicInteger();

    private final DistributionSummary tokenizationDuration;
    private final DistributionSummary queueDuration;
    private final DistributionSummary inferenceDuration;
    private final DistributionSummary batchSize;
    private final DistributionSummary batchTokens;

    /**
     * @param model the model's name, the {@code model} tag of its meters
     * @param inFlight how many of its requests hold a slot of {@code --max-concurrent-requests} now
     */
    ModelMetrics(MeterRegistry registry, String model, IntSupplier inFlight) {
        Gauge.builder("te_queue_size", queueSize, AtomicInteger::get).description("Requests waiting to be merged into a batch.")
                .tag("model", model).register(registry);
        // Micrometer holds a gauge's object weakly; nothing else holds this lambda, so once collected the gauge read NaN.
        Gauge.builder("te_request_in_flight", inFlight, IntSupplier::getAsInt).strongReference(true)
                .description("Requests holding a slot of --max-concurrent-requests.").tag("model", model).register(registry);
        tokenizationDuration = Metrics.seconds("te_request_tokenization_duration",
                "Seconds spent tokenizing a request's inputs to check and count them.", registry, model);
        queueDuration = Metrics.seconds("te_request_queue_duration", "Seconds a request waited to be merged into a batch.",
                registry, model);
        inferenceDuration = Metrics.seconds("te_request_inference_duration",
                "Seconds the model took on the batch that held a request.", registry, model);
        batchSize = Metrics.histogram("te_batch_next_size", "Texts in each merged batch handed to the model.", registry, model,
                Metrics.exponential(1, 2, 13));
        batchTokens = Metrics.histogram("te_batch_next_tokens", "Tokens in each merged batch handed to the model.", registry,
                model, Metrics.exponential(1, 2, 21));
    }

    /** A model's metrics in a registry of their own, for tests and tools that run one batcher alone. */
    static ModelMetrics unnamed() {
        return new ModelMetrics(new SimpleMeterRegistry(), "", () -> 0);
    }

    void queueSize(int size) {
        queueSize.set(size);
    }

    void tokenized(long nanos) {
        tokenizationDuration.record(nanos / 1e9);
    }

    /** A merged call of the model: its inputs and tokens. */
    void batch(int inputs, int tokens) {
        batchSize.record(inputs);
        batchTokens.record(tokens);
    }

    /** One request's share of a call: how long it waited, and how long the call took. */
    void request(long queuedNanos, long inferenceNanos) {
        queueDuration.record(queuedNanos / 1e9);
        inferenceDuration.record(inferenceNanos / 1e9);
    }
}
