package dev.sentence4j.server;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What the server counts and times, rendered for Prometheus by {@code GET /metrics}. Names follow
 * Hugging Face TEI's ({@code te_...}) so that dashboards made for it keep working.
 */
final class Metrics {
    /** Durations from 100 µs to about 100 s, each bound twice the one before. */
    private static final double[] SECONDS = Histogram.exponential(0.0001, 2, 21);

    private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> successes = new ConcurrentSkipListMap<>();
    private final Map<Failure, LongAdder> failures = new EnumMap<>(Failure.class);
    private final AtomicInteger queueSize = new AtomicInteger();
    private final IntSupplier inFlight;

    final Histogram requestDuration = new Histogram("te_request_duration",
            "Seconds from receiving a request to having its reply, for successful requests.", SECONDS);
    final Histogram tokenizationDuration = new Histogram("te_request_tokenization_duration",
            "Seconds spent tokenizing a request's inputs to check and count them.", SECONDS);
    final Histogram queueDuration = new Histogram("te_request_queue_duration",
            "Seconds a request waited to be merged into a batch.", SECONDS);
    final Histogram inferenceDuration = new Histogram("te_request_inference_duration",
            "Seconds the model took on the batch that held a request.", SECONDS);
    final Histogram batchSize = new Histogram("te_batch_next_size",
            "Texts in each merged batch handed to the model.", Histogram.exponential(1, 2, 13));
    final Histogram batchTokens = new Histogram("te_batch_next_tokens",
            "Tokens in each merged batch handed to the model.", Histogram.exponential(1, 2, 21));

    /**
     * @param inFlight how many requests hold a slot of {@code --max-concurrent-requests} now
     */
    Metrics(IntSupplier inFlight) {
        for (Failure failure : Failure.values()) {
            failures.put(failure, new LongAdder());
        }
        this.inFlight = inFlight;
    }

    void received(String route) {
        requests.computeIfAbsent(route, r -> new LongAdder()).increment();
    }

    void succeeded(String route) {
        successes.computeIfAbsent(route, r -> new LongAdder()).increment();
    }

    void failed(Failure failure) {
        failures.get(failure).increment();
    }

    void queueSize(int size) {
        queueSize.set(size);
    }

    /** All metrics in the Prometheus text exposition format. */
    String render() {
        StringBuilder out = new StringBuilder(8192);
        counter(out, "te_request_count", "Requests received, by route.", "route", requests);
        counter(out, "te_request_success", "Requests answered successfully, by route.", "route", successes);
        Map<String, LongAdder> byCode = new LinkedHashMap<>();
        failures.forEach((failure, count) -> byCode.put(failure.code(), count));
        counter(out, "te_request_failure", "Requests refused or failed, by kind.", "err", byCode);
        gauge(out, "te_queue_size", "Requests waiting to be merged into a batch.", queueSize.get());
        gauge(out, "te_request_in_flight", "Requests holding a slot of --max-concurrent-requests.", inFlight.getAsInt());
        for (Histogram histogram : List.of(requestDuration, tokenizationDuration, queueDuration, inferenceDuration,
                batchSize, batchTokens)) {
            histogram.render(out);
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, String label, Map<String, LongAdder> counts) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        counts.forEach((value, count) -> out.append(name).append('{').append(label).append("=\"").append(value)
                .append("\"} ").append(count.sum()).append('\n'));
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value).append('\n');
    }
}
