package dev.sentence4j.spark;

import dev.sentence4j.transformer.RuntimeOptions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * How many tasks an executor runs at once, which is how many batches its model runs at once: each
 * batch takes one core, so tasks that each ran their own threads would oversubscribe the cores.
 */
final class TaskSlots {
    /** {@code local}, {@code local[4]}, {@code local[*]}, {@code local[4,2]} (with retries). */
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");
    /** {@code local-cluster[workers, coresPerWorker, memory]}. */
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,.*]");

    private TaskSlots() {}

    /** The model threads for this executor: its task slots, at most its physical cores. */
    static int forThisExecutor() {
        SparkConf conf = SparkEnv.get().conf();
        TaskContext task = TaskContext.get();
        int taskCpus = task != null ? task.cpus() : conf.getInt("spark.task.cpus", 1);
        String cores = conf.contains("spark.executor.cores") ? conf.get("spark.executor.cores") : null;
        int slots = slots(conf.get("spark.master", ""), cores, taskCpus, Runtime.getRuntime().availableProcessors());
        return Math.min(slots, RuntimeOptions.physicalCores());
    }

    /**
     * The task slots of one executor: its cores (from a local master's thread count, else
     * {@code spark.executor.cores}, else every processor it sees, as a standalone executor takes them)
     * over the cores each task claims.
     */
    static int slots(String master, String executorCores, int taskCpus, int processors) {
        int cores = processors;
        Matcher local = LOCAL.matcher(master.trim());
        Matcher localCluster = LOCAL_CLUSTER.matcher(master.trim());
        if (local.matches()) {
            String threads = local.group(1);
            cores = threads == null ? 1 : threads.equals("*") ? processors : Integer.parseInt(threads);
        } else if (localCluster.matches()) {
            cores = Integer.parseInt(localCluster.group(1));
        } else if (executorCores != null && !executorCores.isBlank()) {
            cores = Integer.parseInt(executorCores.trim());
        }
        return Math.max(1, cores / Math.max(1, taskCpus));
    }
}
