package dev.sentence4j;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Choices made when loading a model; start from {@link #defaults()} and change what you need.
 *
 * @param onnxFile the ONNX file to run, as a path inside the model folder (for example
 *     {@code onnx/model_qint8_avx512_vnni.onnx}), or {@code null} to pick one; naming the model's
 *     checkpoint ({@code model.safetensors}, {@code pytorch_model.bin}) runs that, as {@code checkpoint} does
 * @param quantized when no file is named, pick the model's int8 export rather than its float32 one; for
 *     a checkpoint, quantize its matrix weights to int8 as the graph is built
 * @param checkpoint build the transformer's graph from its checkpoint even when the model has an ONNX
 *     export (without one, the checkpoint is used anyway)
 * @param threads how many batches run at once, each on one core; 0 for one per physical core
 * @param cacheDirectory where optimized graphs and built-in weights are kept between runs, or
 *     {@code null} to keep nothing
 * @param revision for a model from the Hugging Face Hub, the branch, tag or commit to load, or
 *     {@code null} for {@code main}
 */
public record LoadOptions(String onnxFile, boolean quantized, boolean checkpoint, int threads, Path cacheDirectory,
        String revision) {
    public LoadOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be positive, or 0 for one per physical core; got " + threads);
        }
        if (revision != null && revision.isBlank()) {
            throw new IllegalArgumentException("revision must name a branch, tag or commit, or be null for main");
        }
    }

    /**
     * The defaults: the model's float32 ONNX file (else its checkpoint), a thread per physical core, the cache folder
     * {@code $SENTENCE4J_CACHE}, else {@code $XDG_CACHE_HOME/sentence4j}, else {@code ~/.cache/sentence4j},
     * and a Hub model's {@code main} branch.
     */
    public static LoadOptions defaults() {
        return new LoadOptions(null, false, false, 0, defaultCacheDirectory(), null);
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
        return new LoadOptions(file, quantized, checkpoint, threads, cacheDirectory, revision);
    }

    /** These options picking the model's int8 export (when no file is named). */
    public LoadOptions withQuantized(boolean on) {
        return new LoadOptions(onnxFile, on, checkpoint, threads, cacheDirectory, revision);
    }

    /** These options building the graph from the model's checkpoint even when it has an ONNX export. */
    public LoadOptions withCheckpoint(boolean on) {
        return new LoadOptions(onnxFile, quantized, on, threads, cacheDirectory, revision);
    }

    /** These options with another ONNX Runtime thread count. */
    public LoadOptions withThreads(int count) {
        return new LoadOptions(onnxFile, quantized, checkpoint, count, cacheDirectory, revision);
    }

    /** These options with another cache folder, or {@code null} for none. */
    public LoadOptions withCacheDirectory(Path directory) {
        return new LoadOptions(onnxFile, quantized, checkpoint, threads, directory, revision);
    }

    /** These options loading a Hub model at a branch, tag or commit, or {@code null} for {@code main}. */
    public LoadOptions withRevision(String branchTagOrCommit) {
        return new LoadOptions(onnxFile, quantized, checkpoint, threads, cacheDirectory, branchTagOrCommit);
    }

    /** The chosen ONNX file, if one was named. */
    public Optional<String> chosenOnnxFile() {
        return Optional.ofNullable(onnxFile);
    }
}
