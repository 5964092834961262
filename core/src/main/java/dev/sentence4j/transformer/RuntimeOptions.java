package dev.sentence4j.transformer;

import java.nio.file.Path;

/**
 * How ONNX Runtime runs a graph.
 *
 * @param threads intra-op threads; 0 means one per physical core
 * @param cache a folder where ONNX Runtime's native libraries and optimized graphs are kept so later
 *     loads skip extracting and optimizing them, or {@code null} to keep nothing
 * @param prepack whether ONNX Runtime rearranges the weights for its matrix kernels as the session starts
 *     (prepacking): faster runs for a slower start; see {@code LoadOptions.withFastLoad}
 */
public record RuntimeOptions(int threads, Path cache, boolean prepack) {
    public RuntimeOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be positive, or 0 for one per physical core; got " + threads);
        }
    }

    /** These threads and cache, the weights prepacked. */
    public RuntimeOptions(int threads, Path cache) {
        this(threads, cache, true);
    }

    /** One thread per physical core, no cache. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, null);
    }

    /** The thread count to use: the one given, else the number of physical cores. */
    public int effectiveThreads() {
        return threads > 0 ? threads : physicalCores();
    }

    /** The processor's physical cores, as far as this process may use them. */
    public static int physicalCores() {
        return Cpu.physicalCores();
    }
}
