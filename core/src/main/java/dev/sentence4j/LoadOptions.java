package dev.sentence4j;

import dev.sentence4j.hub.Hub;
import dev.sentence4j.model.ModelFiles;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Choices made when loading a model; start from {@link #defaults()} and change what you need. Immutable;
 * a class rather than a record so that options can be added without breaking callers.
 */
public final class LoadOptions {
    private final String onnxFile;
    private final boolean quantized;
    private final boolean checkpoint;
    private final int threads;
    private final Path cacheDirectory;
    private final String revision;
    private final Hub hub;
    private final boolean fastLoad;

    private LoadOptions(String onnxFile, boolean quantized, boolean checkpoint, int threads, Path cacheDirectory, String revision,
            Hub hub, boolean fastLoad) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be positive, or 0 for one per physical core; got " + threads);
        }
        if (revision != null && revision.isBlank()) {
            throw new IllegalArgumentException("revision must name a branch, tag or commit, or be null for main");
        }
        this.onnxFile = onnxFile;
        this.quantized = quantized;
        this.checkpoint = checkpoint;
        this.threads = threads;
        this.cacheDirectory = cacheDirectory;
        this.revision = revision;
        this.hub = hub;
        this.fastLoad = fastLoad;
    }

    /**
     * The defaults: the model's float32 ONNX file (else its checkpoint), a batch at a time per physical core, the cache folder
     * {@code $SENTENCE4J_CACHE}, else {@code $XDG_CACHE_HOME/sentence4j}, else {@code ~/.cache/sentence4j},
     * a Hub model's {@code main} branch, the Hub settings of the environment, and throughput over a fast load.
     */
    public static LoadOptions defaults() {
        return new LoadOptions(null, false, false, 0, defaultCacheDirectory(), null, null, false);
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

    /**
     * The ONNX file to run, as a path inside the model folder, or {@code null} to pick one; naming the
     * model's checkpoint ({@code model.safetensors}, {@code pytorch_model.bin}) builds the graph from it.
     */
    public String onnxFile() {
        return onnxFile;
    }

    /** The chosen ONNX file, if one was named. */
    public Optional<String> chosenOnnxFile() {
        return Optional.ofNullable(onnxFile);
    }

    /**
     * Whether, when no file is named, the model's int8 export is picked rather than its float32 one; for a
     * checkpoint (also one without an int8 export), its matrix weights are quantized to int8 as the graph is built.
     */
    public boolean quantized() {
        return quantized;
    }

    /**
     * Whether the transformer's graph is built from the model's checkpoint even when it has an ONNX export
     * (without one, the checkpoint is used anyway).
     */
    public boolean checkpoint() {
        return checkpoint;
    }

    /**
     * How many transformer batches the model runs at once, each on one core (ONNX Runtime's own
     * threading is one thread per batch); 0 for one per physical core. However many threads call the
     * model, no more batches than this run at once.
     */
    public int threads() {
        return threads;
    }

    /** Where optimized graphs and built-in weights are kept between runs, or {@code null} to keep nothing. */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** For a model from the Hugging Face Hub, the branch, tag or commit to load, or {@code null} for {@code main}. */
    public String revision() {
        return revision;
    }

    /** The Hub settings a model id is found and downloaded with: those given, else the environment's. */
    public Hub hub() {
        return hub != null ? hub : Hub.fromEnvironment();
    }

    /**
     * Whether the model loads fast at some cost in throughput, for a program that encodes a few texts and ends:
     * ONNX Runtime then leaves the weights as the graph has them rather than rearranging them for its matrix
     * kernels (prepacking), which makes a load of all-MiniLM-L6-v2 some 35 ms shorter (more in a fresh JVM) and
     * its encoding some 6% slower (BENCHMARKS.md, Start-up). Vectors differ from a default load's in the last
     * bits of a float.
     */
    public boolean fastLoad() {
        return fastLoad;
    }

    /** These options with a chosen ONNX file. */
    public LoadOptions withOnnxFile(String file) {
        return new LoadOptions(file, quantized, checkpoint, threads, cacheDirectory, revision, hub, fastLoad);
    }

    /** These options picking the model's int8 export (when no file is named). */
    public LoadOptions withQuantized(boolean on) {
        return new LoadOptions(onnxFile, on, checkpoint, threads, cacheDirectory, revision, hub, fastLoad);
    }

    /** These options building the graph from the model's checkpoint even when it has an ONNX export. */
    public LoadOptions withCheckpoint(boolean on) {
        return new LoadOptions(onnxFile, quantized, on, threads, cacheDirectory, revision, hub, fastLoad);
    }

    /** These options running another number of batches at once (see {@link #threads()}); 0 for one per physical core. */
    public LoadOptions withThreads(int count) {
        return new LoadOptions(onnxFile, quantized, checkpoint, count, cacheDirectory, revision, hub, fastLoad);
    }

    /** These options with another cache folder, or {@code null} for none. */
    public LoadOptions withCacheDirectory(Path directory) {
        return new LoadOptions(onnxFile, quantized, checkpoint, threads, directory, revision, hub, fastLoad);
    }

    /** These options loading a Hub model at a branch, tag or commit, or {@code null} for {@code main}. */
    public LoadOptions withRevision(String branchTagOrCommit) {
        return new LoadOptions(onnxFile, quantized, checkpoint, threads, cacheDirectory, branchTagOrCommit, hub, fastLoad);
    }

    /**
     * These options finding and downloading models by id with these Hub settings (endpoint, cache, token,
     * offline, progress) rather than the environment's.
     */
    public LoadOptions withHub(Hub settings) {
        return new LoadOptions(onnxFile, quantized, checkpoint, threads, cacheDirectory, revision,
                Objects.requireNonNull(settings, "hub"), fastLoad);
    }

    /** These options loading fast at some cost in throughput, or not (see {@link #fastLoad()}). */
    public LoadOptions withFastLoad(boolean on) {
        return new LoadOptions(onnxFile, quantized, checkpoint, threads, cacheDirectory, revision, hub, on);
    }

    /**
     * Refuses files found at another revision than these options name: every model family's
     * {@code load(ModelFiles, LoadOptions)} checks this, so the options' revision is never silently ignored.
     *
     * @throws IllegalArgumentException naming both revisions
     */
    void requireRevisionOf(ModelFiles files) {
        if (revision != null && !files.revision().equals(Optional.of(revision))) {
            throw new IllegalArgumentException("the options ask for revision '" + revision + "' but the files of "
                    + files.name() + (files.revision().map(r -> " are at revision '" + r + "'").orElse(" have no revision"))
                    + "; find them at that revision with ModelFiles.resolve(id, revision, hub), or load by id");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoadOptions o && Objects.equals(onnxFile, o.onnxFile) && quantized == o.quantized
                && checkpoint == o.checkpoint && threads == o.threads && Objects.equals(cacheDirectory, o.cacheDirectory)
                && Objects.equals(revision, o.revision) && Objects.equals(hub, o.hub) && fastLoad == o.fastLoad;
    }

    @Override
    public int hashCode() {
        return Objects.hash(onnxFile, quantized, checkpoint, threads, cacheDirectory, revision, hub, fastLoad);
    }

    @Override
    public String toString() {
        return "LoadOptions[onnxFile=" + onnxFile + ", quantized=" + quantized + ", checkpoint=" + checkpoint + ", threads="
                + threads + ", cacheDirectory=" + cacheDirectory + ", revision=" + revision + (hub != null ? ", " + hub : "")
                + (fastLoad ? ", fastLoad" : "") + "]";
    }
}
