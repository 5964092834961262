package dev.sentence4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * One local Spark for the test run (starting one takes seconds): two task slots, as a small executor
 * has, no web UI, and {@link Sentence4jPlugin}, as the README tells users to register it. A test that
 * stops it gets a new one from the next {@link #session()}; Spark stops the last one when the test JVM
 * exits.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("sentence4j-spark-tests")
                    .config("spark.ui.enabled", false)
                    .config("spark.sql.shuffle.partitions", 2)
                    .config("spark.plugins", Sentence4jPlugin.class.getName())
                    .getOrCreate();
        }
        return session;
    }

    /** Stops the session, if one runs, so that a test can start Spark its own way. */
    static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }

    /** Rows as a data frame of exactly {@code partitions} partitions, each a consecutive run of rows, in order. */
    static Dataset<Row> rows(List<Row> rows, StructType schema, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(session().sparkContext());
        return session().createDataFrame(context.parallelize(rows, partitions), schema);
    }

    /** The messages of an exception and its causes, outermost first: a task's failure arrives wrapped by Spark. */
    static List<String> messages(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            messages.add(cause.getMessage());
        }
        return messages;
    }
}
