package dev.sentence4j.spark;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Prints, every few seconds, how many rows a job has encoded: the rows of finished tasks (the
 * accumulator's value) plus those running tasks report with their executors' heartbeats.
 */
final class JobProgress extends SparkListener implements AutoCloseable {
    private static final long PERIOD_SECONDS = 10;

    private final SparkContext context;
    private final LongAccumulator rows;
    private final PrintWriter err;
    private final long start = System.nanoTime();
    /** Rows done by each running task, as its last heartbeat said. */
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sentence4j-progress");
        thread.setDaemon(true);
        return thread;
    });

    private JobProgress(SparkContext context, LongAccumulator rows, PrintWriter err) {
        this.context = context;
        this.rows = rows;
        this.err = err;
    }

    static JobProgress start(SparkContext context, LongAccumulator rows, PrintWriter err) {
        JobProgress progress = new JobProgress(context, rows, err);
        context.addSparkListener(progress);
        progress.timer.scheduleAtFixedRate(progress::report, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return progress;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task : CollectionConverters.asJava(update.accumUpdates())) {
            for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
                if (info.id() == rows.id() && info.update().isDefined()) {
                    running.put((Long) task._1(), ((Number) info.update().get()).longValue());
                }
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        running.remove(end.taskInfo().taskId());
    }

    /** Rows encoded so far. */
    long done() {
        return rows.value() + running.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Seconds since the job started. */
    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private void report() {
        long done = done();
        if (done > 0) {
            err.println(String.format(Locale.ROOT, "sentence4j: %,d rows encoded, %.0f rows/s", done, done / seconds()));
            err.flush();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        context.removeSparkListener(this);
    }
}
