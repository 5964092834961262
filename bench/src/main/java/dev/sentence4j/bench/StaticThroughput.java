package dev.sentence4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TokenizedTexts;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Sentences per second of a static model (StaticEmbedding: a token table, no network) against
 * all-MiniLM-L6-v2, on the same 1,000 STSb dev sentences, tokenizing included. The static model is laid
 * out as sentence-transformers/static-retrieval-mrl-en-v1 is: the bert-base-uncased WordPiece vocabulary
 * (here all-MiniLM-L6-v2's own {@code tokenizer.json}, the same 30,522 entries) and a 1,024-wide table,
 * then Normalize; its table is random, which costs what a trained one costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class StaticThroughput {
    private static final int DIMENSION = 1024;

    /** The sentences and both models. */
    @State(Scope.Benchmark)
    public static class Models {
        List<String> sentences;
        SentenceTransformer miniLm;
        SentenceTransformer staticModel;
        TokenizedTexts<String> staticTokens;
        Path folder;

        @Setup
        public void load() throws IOException {
            sentences = BenchTexts.sentences();
            miniLm = SentenceTransformer.load("sentence-transformers/all-MiniLM-L6-v2");
            folder = Files.createTempDirectory("static-model");
            try (InputStream tokenizer = miniLm.files().open("tokenizer.json")) {
                Files.copy(tokenizer, folder.resolve("tokenizer.json"));
            }
            int rows = 30522;
            float[] table = new float[rows * DIMENSION];
            Random random = new Random(42);
            for (int i = 0; i < table.length; i++) {
                table[i] = (float) random.nextGaussian();
            }
            SafeTensors.write(folder.resolve("model.safetensors"),
                    Map.of("embedding.weight", new SafeTensors.Tensor(new long[] {rows, DIMENSION}, table)));
            ObjectMapper json = new ObjectMapper();
            json.writeValue(folder.resolve("modules.json").toFile(), List.of(
                    Map.of("idx", 0, "name", "0", "path", "", "type",
                            "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding"),
                    Map.of("idx", 1, "name", "1", "path", "1_Normalize", "type",
                            "sentence_transformers.base.modules.normalize.Normalize")));
            Files.createDirectories(folder.resolve("1_Normalize"));
            staticModel = SentenceTransformer.load(folder.toString());
            staticTokens = staticModel.tokenize(sentences, EncodeOptions.defaults());
        }

        @TearDown
        public void close() {
            miniLm.close();
            staticModel.close();
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] miniLm(Models models) {
        return models.miniLm.encode(models.sentences);
    }

    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public float[][] staticEmbedding(Models models) {
        return models.staticModel.encode(models.sentences);
    }

    /** Tokenizing alone, as the static model's {@code encode} tokenizes: where its time goes. */
    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public Object staticTokenizeOnly(Models models) {
        return models.staticModel.tokenize(models.sentences, EncodeOptions.defaults());
    }

    /** Everything after tokenizing (batching, the table means, Normalize): the rest of its time. */
    @Benchmark
    @OperationsPerInvocation(BenchTexts.SENTENCES)
    public Object staticAfterTokenizing(Models models) {
        return models.staticModel.encodeWithDetails(models.staticTokens);
    }
}
