package dev.sentence4j.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
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
 * Sentences per second on short texts (the first 1,000 distinct STSb dev sentences, about 16 tokens
 * each): sentence4j float32 and int8, and LangChain4j's {@code embedAll}, for both built-in models.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 15)
@Measurement(iterations = 3, time = 15)
@Fork(1)
public class EmbeddingThroughput {

    /** The model under test, by the name both libraries know it by. */
    @State(Scope.Benchmark)
    public static class Texts {
        @Param({"all-MiniLM-L6-v2", "bge-small-en-v1.5"})
        String model;

        List<String> sentences;
        List<TextSegment> segments;

        @Setup
        public void read() {
            sentences = BenchTexts.sentences();
            segments = sentences.stream().map(TextSegment::from).toList();
        }

        String hubId() {
            return model.startsWith("bge") ? "BAAI/" + model : "sentence-transformers/" + model;
        }
    }

    /** sentence4j on the model's float32 ONNX file. */
    @State(Scope.Benchmark)
    public static class Sentence4j {
        SentenceTransformer encoder;

        @Setup
        public void load(Texts texts) {
            encoder = SentenceTransformer.load(texts.hubId());
        }

        @TearDown
        public void close() {
            encoder.close();
        }
    }

    /** sentence4j on the model's int8 ONNX file. */
    @State(Scope.Benchmark)
    public static class Sentence4jInt8 {
        SentenceTransformer encoder;

        @Setup
        public void load(Texts texts) {
            encoder = SentenceTransformer.load(texts.hubId(), LoadOptions.defaults().withQuantized(true));
        }

        @TearDown
        public void close() {
            encoder.close();
        }
    }

    /** LangChain4j's in-process model of the same name, float32, as its users run it. */
    @State(Scope.Benchmark)
    public static class LangChain4j {
        EmbeddingModel model;

        @Setup
        public void load(Texts texts) {
            model = texts.model.startsWith("bge") ? new BgeSmallEnV15EmbeddingModel() : new AllMiniLmL6V2EmbeddingModel();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] sentence4j(Texts texts, Sentence4j state) {
        return state.encoder.encode(texts.sentences);
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] sentence4jInt8(Texts texts, Sentence4jInt8 state) {
        return state.encoder.encode(texts.sentences);
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public List<Embedding> langchain4j(Texts texts, LangChain4j state) {
        return state.model.embedAll(texts.segments).content();
    }
}
