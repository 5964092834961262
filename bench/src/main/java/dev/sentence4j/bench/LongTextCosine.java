package dev.sentence4j.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.sentence4j.io.Npy;
import dev.sentence4j.io.TextLines;
import dev.sentence4j.langchain4j.Sentence4jEmbeddingModel;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How close each library's vector of a long text is to the reference (sentence-transformers, which cuts
 * all-MiniLM-L6-v2's input at 256 tokens): cosine per text of {@code ../shared/reference/edge-cases.txt}
 * longer than the model takes, and the token usage each reports. Not a timing; run it after the JMH run.
 *
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" dev.sentence4j.bench.LongTextCosine [SHARED_DIR]</pre>
 */
public final class LongTextCosine {
    private LongTextCosine() {}

    public static void main(String[] args) throws IOException {
        Path reference = Path.of(args.length > 0 ? args[0] : "../shared").resolve("reference");
        List<String> texts = TextLines.read(reference.resolve("edge-cases.txt"));
        float[][] expected = Npy.read(reference.resolve("edge-cases.all-MiniLM-L6-v2.npy"));
        EmbeddingModel langchain4j = new AllMiniLmL6V2EmbeddingModel();
        try (Sentence4jEmbeddingModel sentence4j = Sentence4jEmbeddingModel.builder()
                .model("sentence-transformers/all-MiniLM-L6-v2").build()) {
            int most = sentence4j.sentenceTransformer().tokenizer().settings().maxSeqLength();
            List<Tokens> tokens = sentence4j.sentenceTransformer().tokenizer().tokenize(texts);
            System.out.printf(Locale.ROOT, "%-5s %7s %12s %12s %13s %13s%n", "line", "tokens", "LangChain4j", "sentence4j",
                    "LC4j usage", "s4j usage");
            for (int i = 0; i < texts.size(); i++) {
                if (tokens.get(i).untruncatedLength() <= most) {
                    continue;
                }
                Response<List<Embedding>> theirs = langchain4j.embedAll(List.of(TextSegment.from(texts.get(i))));
                Response<List<Embedding>> ours = sentence4j.embedAll(List.of(TextSegment.from(texts.get(i))));
                System.out.printf(Locale.ROOT, "%-5d %7d %12.4f %12.6f %13d %13d%n", i + 1, tokens.get(i).untruncatedLength(),
                        cosine(theirs.content().get(0).vector(), expected[i]), cosine(ours.content().get(0).vector(), expected[i]),
                        theirs.tokenUsage().inputTokenCount(), ours.tokenUsage().inputTokenCount());
            }
        }
    }

    private static double cosine(float[] a, float[] b) {
        return SimilarityFunction.COSINE.matrix(new float[][] {a}, new float[][] {b})[0][0];
    }
}
