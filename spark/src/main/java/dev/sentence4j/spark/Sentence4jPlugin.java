package dev.sentence4j.spark;

import java.util.Arrays;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Frees the native memory of the models sentence4j loaded: an executor's when the executor stops, the
 * driver's (where a local master runs its tasks) when the application stops. Register it with
 * {@code --conf spark.plugins=dev.sentence4j.spark.Sentence4jPlugin}; {@link EncodeJob} registers it
 * itself. Without it the models stay loaded until their JVM exits.
 */
public final class Sentence4jPlugin implements SparkPlugin {
    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public void shutdown() {
                ExecutorModels.closeAll();
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void shutdown() {
                ExecutorModels.closeAll();
            }
        };
    }

    /**
     * A {@code spark.plugins} value (comma-separated class names, or {@code null}) with this plugin
     * added at the end unless it is there already; the plugins it names stay as they are.
     */
    static String addTo(String plugins) {
        String name = Sentence4jPlugin.class.getName();
        if (plugins == null || plugins.isBlank()) {
            return name;
        }
        if (Arrays.stream(plugins.split(",")).map(String::strip).anyMatch(name::equals)) {
            return plugins;
        }
        return plugins.strip() + "," + name;
    }
}
