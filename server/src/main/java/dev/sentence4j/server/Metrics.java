package dev.sentence4j.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * What the server counts and times, in a Micrometer registry that {@code GET /metrics} renders for
 * Prometheus: requests by route and failures by kind for the whole server, and each model's own queue,
 * slots and timings ({@link ModelMetrics}, tagged {@code model}). Names are Hugging Face TEI's
 * ({@code te_...}) so that dashboards made for it keep working; Prometheus' client writes counters with
 * the {@code _total} its format asks for ({@code te_request_count_total}).
 */
final class Metrics {
    /** Durations from 100 µs to about 100 s, each bound twice the one before: Prometheus buckets. */
    static final double[] SECONDS = exponential(0.0001, 2, 21);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> successes = new ConcurrentHashMap<>();
    private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);
    private final DistributionSummary requestDuration;

    Metrics() {
        for (Failure failure : Failure.values()) {
            failures.put(failure, Counter.builder("te_request_failure").description("Requests refused or failed, by kind.")
                    .tag("err", failure.code()).register(registry));
        }
        requestDuration = seconds("te_request_duration",
                "Seconds from receiving a request to having its reply, for successful requests.", registry, null);
    }

    /** Bounds from {@code first}, each the previous times {@code factor}, {@code count} in all. */
    static double[] exponential(double first, double factor, int count) {
        double[] bounds = new double[count];
        bounds[0] = first;
        for (int i = 1; i < count; i++) {
            bounds[i] = bounds[i - 1] * factor;
        }
        return bounds;
    }

    /**
     * A histogram of seconds, under TEI's name: a distribution summary rather than a timer, which
     * Prometheus' naming would rename {@code ..._seconds}.
     *
     * @param model the {@code model} tag, or {@code null} for none
     */
    static DistributionSummary seconds(String name, String help, MeterRegistry registry, String model) {
        return histogram(name, help, registry, model, SECONDS);
    }

    /** A histogram with these bucket bounds. */
    static DistributionSummary histogram(String name, String help, MeterRegistry registry, String model, double[] bounds) {
        DistributionSummary.Builder builder = DistributionSummary.builder(name).description(help).serviceLevelObjectives(bounds);
        return (model == null ? builder : builder.tag("model", model)).register(registry);
    }

    /** A model's own metrics, in the server's registry. */
    ModelMetrics model(String name, IntSupplier inFlight) {
        return new ModelMetrics(registry, name, inFlight);
    }

    void received(String route) {
        counter(requests, "te_request_count", "Requests received, by route.", route).increment();
    }

    void succeeded(String route) {
        counter(successes, "te_request_success", "Requests answered successfully, by route.", route).increment();
    }

    void failed(Failure failure) {
        failures.get(failure).increment();
    }

    /** Seconds since a {@link System#nanoTime()} reading, as a successful request's duration. */
    void requestTook(long startNanos) {
        requestDuration.record((System.nanoTime() - startNanos) / 1e9);
    }

    private Counter counter(Map<String, Counter> counters, String name, String help, String route) {
        return counters.computeIfAbsent(route, r -> Counter.builder(name).description(help).tag("route", r).register(registry));
    }

    /** All metrics in the Prometheus text exposition format. */
    String render() {
        return registry.scrape();
    }
}
