package dev.sentence4j.server;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram: counts of observations at or below each bound, their sum and their count,
 * for one set of labels (such as one model's).
 */
final class Histogram {
    private final String name;
    private final String help;
    /** The labels every line carries, such as {@code model="bge-small-en-v1.5",}; empty for none. */
    private final String labels;
    private final double[] bounds;
    /** One slot per bound, then one for values above the last. */
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(String name, String help, double... bounds) {
        this(name, help, "", bounds);
    }

    /**
     * @param labels Prometheus labels for every line, each written {@code key="value",}
     */
    Histogram(String name, String help, String labels, double... bounds) {
        this.name = name;
        this.help = help;
        this.labels = labels;
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
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

    void observe(double value) {
        int slot = 0;
        while (slot < bounds.length && value > bounds[slot]) {
            slot++;
        }
        counts[slot].increment();
        sum.add(value);
    }

    /** Seconds since a {@link System#nanoTime()} reading. */
    void observeSince(long startNanos) {
        observeNanos(System.nanoTime() - startNanos);
    }

    void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    /** Appends the histogram in the Prometheus text format, with its HELP and TYPE lines. */
    void render(StringBuilder out) {
        renderHeader(out);
        renderValues(out);
    }

    /** The HELP and TYPE lines, written once for all the histograms of one name. */
    void renderHeader(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
    }

    /** The bucket, sum and count lines; buckets are cumulative, as the format wants. */
    void renderValues(StringBuilder out) {
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.append(name).append("_bucket{").append(labels).append("le=\"").append(bounds[i]).append("\"} ")
                    .append(cumulative).append('\n');
        }
        cumulative += counts[bounds.length].sum();
        out.append(name).append("_bucket{").append(labels).append("le=\"+Inf\"} ").append(cumulative).append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}";
        out.append(name).append("_sum").append(braces).append(' ').append(sum.sum()).append('\n');
        out.append(name).append("_count").append(braces).append(' ').append(cumulative).append('\n');
    }
}
