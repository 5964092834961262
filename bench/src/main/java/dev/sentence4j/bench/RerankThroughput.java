package dev.sentence4j.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.scoring.onnx.OnnxScoringModel;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import dev.sentence4j.graph.Head;
import dev.sentence4j.graph.RandomCheckpoints;
import dev.sentence4j.graph.SelfContainedOnnx;
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
 * Pairs per second reranking 1,000 (query, STSb dev sentence) pairs with a cross-encoder of
 * all-MiniLM-L6-v2's size (6 layers, hidden 384, one label), sentence4j's {@link CrossEncoder} against
 * LangChain4j's {@link OnnxScoringModel}. Speed does not depend on the weights' values: the model is a
 * random BERT checkpoint, whose graph sentence4j builds and writes as one self-contained ONNX file,
 * which both libraries then load, so both run the same file on the same ONNX Runtime.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 15)
@Measurement(iterations = 3, time = 15)
@Fork(1)
public class RerankThroughput {
    /** The query every STSb dev sentence is scored against. */
    static final String QUERY = "A man is playing a guitar.";

    /** The model folder and the pairs, shared by both libraries. */
    @State(Scope.Benchmark)
    public static class Pairs {
        Path folder;
        Path onnxFile;
        List<String> documents;
        List<TextPair> pairs;
        List<TextSegment> segments;

        @Setup
        public void write() throws IOException {
            documents = BenchTexts.sentences();
            pairs = documents.stream().map(document -> new TextPair(QUERY, document)).toList();
            segments = documents.stream().map(TextSegment::from).toList();
            folder = RandomCheckpoints.bert(Files.createTempDirectory("sentence4j-rerank-bench"),
                    RandomCheckpoints.BertShape.miniLmCrossEncoder(), Head.SEQUENCE_CLASSIFICATION, 42);
            onnxFile = SelfContainedOnnx.export(folder, Head.SEQUENCE_CLASSIFICATION);
        }

        @TearDown
        public void delete() throws IOException {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** sentence4j's CrossEncoder on the exported file, as a user loads it: the folder, defaults. */
    @State(Scope.Benchmark)
    public static class Sentence4j {
        CrossEncoder reranker;

        @Setup
        public void load(Pairs pairs) {
            reranker = CrossEncoder.load(pairs.folder.toString());
            if (!pairs.folder.resolve(reranker.transformer().onnxFile()).equals(pairs.onnxFile)) {
                throw new IllegalStateException("sentence4j runs " + reranker.transformer().onnxFile() + ", not the exported file");
            }
        }

        @TearDown
        public void close() {
            reranker.close();
        }
    }

    /** LangChain4j's OnnxScoringModel on the same file and tokenizer.json, as its users construct it. */
    @State(Scope.Benchmark)
    public static class LangChain4j {
        OnnxScoringModel reranker;

        @Setup
        public void load(Pairs pairs) {
            reranker = new OnnxScoringModel(pairs.onnxFile.toString(), pairs.folder.resolve("tokenizer.json").toString());
            requireSameLogits(pairs);
        }

        /** Both libraries compute the same thing: LangChain4j's raw scores are sentence4j's logits. */
        private void requireSameLogits(Pairs pairs) {
            int some = 16;
            List<Double> theirs = reranker.scoreAll(pairs.segments.subList(0, some), QUERY).content();
            try (CrossEncoder ours = CrossEncoder.load(pairs.folder.toString())) {
                float[] logits = ours.predict(pairs.pairs.subList(0, some), PredictOptions.defaults().withApplyActivation(false));
                for (int i = 0; i < some; i++) {
                    if (Math.abs(logits[i] - theirs.get(i)) > 1e-4) {
                        throw new IllegalStateException("pair " + i + ": sentence4j's logit " + logits[i] + ", LangChain4j's "
                                + theirs.get(i));
                    }
                }
            }
        }

        @TearDown
        public void close() {
            reranker.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[] sentence4jCrossEncoder(Pairs pairs, Sentence4j sentence4j) {
        return sentence4j.reranker.predict(pairs.pairs);
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public List<Double> langChain4jOnnxScoringModel(Pairs pairs, LangChain4j langChain4j) {
        return langChain4j.reranker.scoreAll(pairs.segments, QUERY).content();
    }
}
