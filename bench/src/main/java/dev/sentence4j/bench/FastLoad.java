package dev.sentence4j.bench;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a fast load ({@link LoadOptions#withFastLoad}) saves and costs on all-MiniLM-L6-v2: the time to load
 * the model (its optimized graph cached, as on the command line's every run after the first) and close it,
 * and the time per sentence of encoding short texts (the first 1,000 distinct STSb dev sentences, about
 * 16 tokens each) one thread at a time, as the command line's short commands run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class FastLoad {
    private static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";

    @State(Scope.Benchmark)
    public static class Options {
        @Param({"false", "true"})
        boolean fastLoad;

        LoadOptions load;
        List<String> sentences;

        @Setup
        public void choose() {
            load = LoadOptions.defaults().withFastLoad(fastLoad).withThreads(1);
            sentences = BenchTexts.sentences();
        }
    }

    /** The model loaded once, for the encoding benchmark. */
    @State(Scope.Benchmark)
    public static class Loaded {
        SentenceTransformer encoder;

        @Setup
        public void load(Options options) {
            encoder = SentenceTransformer.load(MODEL, options.load);
        }

        @TearDown
        public void close() {
            encoder.close();
        }
    }

    @Benchmark
    public int loadAndClose(Options options) {
        try (SentenceTransformer encoder = SentenceTransformer.load(MODEL, options.load)) {
            return encoder.dimension();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] encodePerSentence(Options options, Loaded loaded) {
        return loaded.encoder.encode(options.sentences);
    }
}
