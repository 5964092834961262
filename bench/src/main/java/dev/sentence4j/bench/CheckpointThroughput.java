package dev.sentence4j.bench;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.graph.DerivedCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The graph sentence4j builds from a checkpoint against the model's shipped ONNX export, float32 and
 * int8, on the short sentences of {@link EmbeddingThroughput}. The checkpoint is the model's
 * {@code model.safetensors} derived from the export's own weights, so both run the same numbers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 15)
@Measurement(iterations = 3, time = 15)
@Fork(1)
public class CheckpointThroughput {

    /** The model, its sentences, and the four ways to run it. */
    @State(Scope.Benchmark)
    public static class Models {
        @Param({"sentence-transformers/all-MiniLM-L6-v2"})
        String model;

        List<String> sentences;
        SentenceTransformer export;
        SentenceTransformer built;
        SentenceTransformer exportInt8;
        SentenceTransformer builtInt8;
        private Path folder;

        @Setup
        public void load() throws IOException {
            sentences = BenchTexts.sentences();
            folder = Files.createTempDirectory("sentence4j-checkpoint-bench");
            Path checkpoint = DerivedCheckpoints.write(model, folder);
            export = SentenceTransformer.load(model);
            built = SentenceTransformer.load(checkpoint.toString());
            exportInt8 = SentenceTransformer.load(model, LoadOptions.defaults().withQuantized(true));
            builtInt8 = SentenceTransformer.load(checkpoint.toString(), LoadOptions.defaults().withQuantized(true));
        }

        @TearDown
        public void close() throws IOException {
            for (SentenceTransformer encoder : List.of(export, built, exportInt8, builtInt8)) {
                encoder.close();
            }
            try (var files = Files.walk(folder)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] exportFloat32(Models models) {
        return models.export.encode(models.sentences);
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] builtFloat32(Models models) {
        return models.built.encode(models.sentences);
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] exportInt8(Models models) {
        return models.exportInt8.encode(models.sentences);
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] builtInt8(Models models) {
        return models.builtInt8.encode(models.sentences);
    }
}
