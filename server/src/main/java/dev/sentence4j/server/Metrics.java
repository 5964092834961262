package dev.sentence4j.server;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What the server counts and times, rendered for Prometheus by {@code GET /metrics}: requests by route
 * and failures by kind for the whole server, and each model's own queue, slots and timings
 * ({@link ModelMetrics}, labelled {@code model}). Names follow Hugging Face TEI's ({@code te_...}) so
 * that dashboards made for it keep working.
 */
final class Metrics {
    private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> successes = new ConcurrentSkipListMap<>();
    private final Map<Failure, LongAdder> failures = new EnumMap<>(Failure.class);
    private final List<ModelMetrics> models = new CopyOnWriteArrayList<>();

    final Histogram requestDuration = new Histogram("te_request_duration",
            "Seconds from receiving a request to having its reply, for successful requests.", ModelMetrics.SECONDS);

    Metrics() {
        for (Failure failure : Failure.values()) {
            failures.put(failure, new LongAdder());
        }
    }

    /** A model's own metrics, rendered with the server's. */
    ModelMetrics model(String name, IntSupplier inFlight) {
        ModelMetrics model = new ModelMetrics(name, inFlight);
        models.add(model);
        return model;
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

    /** All metrics in the Prometheus text exposition format. */
    String render() {
        StringBuilder out = new StringBuilder(8192);
        counter(out, "te_request_count", "Requests received, by route.", "route", requests);
        counter(out, "te_request_success", "Requests answered successfully, by route.", "route", successes);
        Map<String, LongAdder> byCode = new LinkedHashMap<>();
        failures.forEach((failure, count) -> byCode.put(failure.code(), count));
        counter(out, "te_request_failure", "Requests refused or failed, by kind.", "err", byCode);
        header(out, "te_queue_size", "Requests waiting to be merged into a batch, by model.", "gauge");
        models.forEach(model -> model.renderQueueSize(out));
        header(out, "te_request_in_flight", "Requests holding a slot of --max-concurrent-requests, by model.", "gauge");
        models.forEach(model -> model.renderInFlight(out));
        requestDuration.render(out);
        if (!models.isEmpty()) {
            List<Histogram> first = models.get(0).histograms();
            for (int h = 0; h < first.size(); h++) {
                first.get(h).renderHeader(out);
                for (ModelMetrics model : models) {
                    model.histograms().get(h).renderValues(out);
                }
            }
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, String label, Map<String, LongAdder> counts) {
        header(out, name, help, "counter");
        counts.forEach((value, count) -> out.append(name).append('{').append(label).append("=\"").append(value)
                .append("\"} ").append(count.sum()).append('\n'));
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
