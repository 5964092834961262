package dev.sentence4j.bench;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tokens per second on paragraphs of 200+ tokens (40 paragraphs of consecutive STSb sentences),
 * counting the tokens the model sees after truncation: the {@code tokens} counter of the result.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 15)
@Measurement(iterations = 3, time = 15)
@Fork(1)
@State(Scope.Benchmark)
public class LongTextThroughput {
    @Param({"sentence-transformers/all-MiniLM-L6-v2", "BAAI/bge-small-en-v1.5"})
    String model;

    SentenceTransformer encoder;
    List<String> paragraphs;
    int tokensPerCall;

    /** JMH reports each public field as a rate beside the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counted {
        public long tokens;

        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
        }
    }

    @Setup
    public void load() {
        encoder = SentenceTransformer.load(model);
        paragraphs = BenchTexts.paragraphs();
        int max = encoder.tokenizer().settings().maxSeqLength();
        tokensPerCall = Arrays.stream(encoder.encodeWithDetails(paragraphs, EncodeOptions.defaults()).tokenCounts())
                .map(n -> Math.min(n, max))
                .sum();
    }

    @TearDown
    public void close() {
        encoder.close();
    }

    @Benchmark
    public float[][] sentence4j(Counted counted) {
        float[][] vectors = encoder.encode(paragraphs);
        counted.tokens += tokensPerCall;
        return vectors;
    }
}
