package dev.sentence4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark for the whole test run (starting one takes seconds): two task slots, as a small
 * executor has, no web UI. Stopped when the test JVM exits.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("sentence4j-spark-tests")
                    .config("spark.ui.enabled", false)
                    .config("spark.sql.shuffle.partitions", 2)
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
