package dev.sentence4j.spark;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * Where a model named on the driver lies on the machine a task runs on: a folder at the same path (a
 * shared file system, or local mode), else a folder shipped with the job ({@code spark-submit --files}
 * or {@code --archives NAME.zip#NAME}, {@code SparkContext.addFile(folder, true)}) under its name,
 * else the name itself, which sentence4j resolves as a model id (built-in, Hugging Face cache, Hub).
 */
final class ModelLocation {
    private ModelLocation() {}

    static String onThisMachine(String model) {
        Path path;
        try {
            path = Path.of(model);
        } catch (InvalidPathException e) {
            return model;
        }
        if (Files.isDirectory(path)) {
            return path.toAbsolutePath().toString();
        }
        Path name = path.getFileName();
        if (name != null && SparkEnv.get() != null) {
            Path shipped = Path.of(SparkFiles.get(name.toString()));
            if (Files.isDirectory(shipped)) {
                return shipped.toString();
            }
        }
        return model;
    }
}
