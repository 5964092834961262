package dev.sentence4j;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Choices made when loading a model; start from {@link #defaults()} and change what you need.
 *
 * @param onnxFile the ONNX file to run, as a path inside the model folder (for example
 *     {@code onnx/model_qint8_avx512_vnni.onnx}), or {@code null} to pick one
 * @param quantized when no file is named, pick the model's int8 export rather than its float32 one
 * @param threads how many batches run at once, each on one core; 0 for one per physical core
 * @param cacheDirectory where optimized graphs and built-in weights are kept between runs, or
 *     {@code null} to keep nothing
 */
public record LoadOptions(String onnxFile, boolean quantized, int threads, Path cacheDirectory) {
    public LoadOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be positive, or 0 for one per physical core; got " + threads);
        }
    }

    /**
     * The defaults: the model's float32 ONNX file, a thread per physical core, and the cache folder
     * {@code $SENTENCE4J_CACHE}, else {@code $XDG_CACHE_HOME/sentence4j}, else {@code ~/.cache/sentence4j}.
     */
    public static LoadOptions defaults() {
        return new LoadOptions(null, false, 0, defaultCacheDirectory());
    }

    private static Path defaultCacheDirectory() {
        String explicit = System.getenv("SENTENCE4J_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("sentence4j");
    }

    /** These options with a chosen ONNX file. */
    public LoadOptions withOnnxFile(String file) {
        return new LoadOptions(file, quantized, threads, cacheDirectory);
    }

    /** These options picking the model's int8 export (when no file is named). */
    public LoadOptions withQuantized(boolean on) {
        return new LoadOptions(onnxFile, on, threads, cacheDirectory);
    }

    /** These options with another ONNX Runtime thread count. */
    public LoadOptions withThreads(int count) {
        return new LoadOptions(onnxFile, quantized, count, cacheDirectory);
    }

    /** These options with another cache folder, or {@code null} for none. */
    public LoadOptions withCacheDirectory(Path directory) {
        return new LoadOptions(onnxFile, quantized, threads, directory);
    }

    /** The chosen ONNX file, if one was named. */
    public Optional<String> chosenOnnxFile() {
        return Optional.ofNullable(onnxFile);
    }
}
