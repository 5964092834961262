package dev.sentence4j.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.sentence4j.langchain4j.Sentence4jEmbeddingModel;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Sentences per second through LangChain4j's own interface, the same {@code embedAll} call on the first
 * 1,000 distinct STSb dev sentences: LangChain4j's {@code AllMiniLmL6V2EmbeddingModel} against
 * {@link Sentence4jEmbeddingModel} on the same model, the one-line swap its users would make.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 15)
@Measurement(iterations = 3, time = 15)
@Fork(1)
@State(Scope.Benchmark)
public class LangChain4jEmbedAll {
    List<TextSegment> segments;
    EmbeddingModel langchain4j;
    Sentence4jEmbeddingModel sentence4j;

    @Setup
    public void load() {
        segments = BenchTexts.sentences().stream().map(TextSegment::from).toList();
        langchain4j = new AllMiniLmL6V2EmbeddingModel();
        sentence4j = Sentence4jEmbeddingModel.builder().model("sentence-transformers/all-MiniLM-L6-v2").build();
    }

    @TearDown
    public void close() {
        sentence4j.close();
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public List<Embedding> langchain4j() {
        return langchain4j.embedAll(segments).content();
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public List<Embedding> sentence4j() {
        return sentence4j.embedAll(segments).content();
    }
}
