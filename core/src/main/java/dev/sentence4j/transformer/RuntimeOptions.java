package dev.sentence4j.transformer;

import java.nio.file.Path;

/**
 * How ONNX Runtime runs a graph.
 *
 * @param threads intra-op threads; 0 means one per physical core
 * @param graphCache a folder where the optimized graph is kept so later loads skip optimization, or
 *     {@code null} to optimize on every load
 */
public record RuntimeOptions(int threads, Path graphCache) {
    public RuntimeOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be positive, or 0 for one per physical core; got " + threads);
        }
    }

    /** One thread per physical core, no graph cache. */
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
