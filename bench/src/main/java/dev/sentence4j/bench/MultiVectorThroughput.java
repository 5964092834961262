package dev.sentence4j.bench;

import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.MultiVectorFolders;
import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Texts per second encoding 1,000 STSb dev sentences as documents with the same transformer, the real
 * all-MiniLM-L6-v2 ONNX export: as a SentenceTransformer (mean pooling, normalize: one vector per text)
 * and as a ColBERT MultiVectorEncoder (a random projection to 96 dimensions, as answerai-colbert-small's,
 * the punctuation skiplist, a vector per token); and queries, expanded to 32 tokens with [MASK].
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(1)
@State(Scope.Benchmark)
public class MultiVectorThroughput {
    static final int TEXTS = BenchTexts.SENTENCES;

    Path dir;
    List<String> sentences;
    SentenceTransformer single;
    MultiVectorEncoder multi;

    @Setup
    public void load() throws IOException {
        sentences = BenchTexts.sentences();
        dir = Files.createTempDirectory("sentence4j-colbert-bench");
        Path colbert = MultiVectorFolders.miniLmColbert(dir, "colbert", 180, 96);
        multi = MultiVectorEncoder.load(colbert.toString());
        single = SentenceTransformer.load("sentence-transformers/all-MiniLM-L6-v2");
    }

    @TearDown
    public void close() throws IOException {
        multi.close();
        single.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public float[][] singleVectorDocuments() {
        return single.encodeDocument(sentences);
    }

    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public List<float[][]> multiVectorDocuments() {
        return multi.encodeDocument(sentences);
    }

    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public List<float[][]> multiVectorQueries() {
        return multi.encodeQuery(sentences);
    }
}
