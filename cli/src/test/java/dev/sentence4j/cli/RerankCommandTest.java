package dev.sentence4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rerank with the st6 cross-encoder fixture: the documents its reference pairs share a query with,
 * ordered and scored as sentence-transformers' CrossEncoder scored them.
 */
class RerankCommandTest {
    static final String MODEL = "fixtures/st6/models/cross-encoder-bert";
    private static final Pattern MATCH = Pattern.compile(" *(\\d+)\\. (-?\\d\\.\\d{4})  line (\\d+): (.*)");
    private static String query;
    private static List<String> documents;
    private static float[] scores;
    private static float[] logits;

    @TempDir
    Path dir;

    @BeforeAll
    static void readReference() throws IOException {
        JsonNode pairs = new ObjectMapper().readTree(Shared.path("fixtures/st6/reference/cross-encoder-bert.public.pairs.json").toFile());
        float[] allScores = vector("scores", pairs.size());
        float[] allLogits = vector("logits", pairs.size());
        query = pairs.get(0).get(0).textValue();
        documents = new ArrayList<>();
        List<Integer> same = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).get(0).textValue().equals(query)) {
                documents.add(pairs.get(i).get(1).textValue());
                same.add(i);
            }
        }
        scores = new float[same.size()];
        logits = new float[same.size()];
        for (int d = 0; d < same.size(); d++) {
            scores[d] = allScores[same.get(d)];
            logits[d] = allLogits[same.get(d)];
        }
    }

    private static float[] vector(String name, int length) throws IOException {
        byte[] bytes = Files.readAllBytes(Shared.path("fixtures/st6/reference/cross-encoder-bert.public." + name + ".npy"));
        float[] values = new float[length];
        ByteBuffer.wrap(bytes, bytes.length - 4 * length, 4 * length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static List<Integer> byScore(float[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble((Integer d) -> -values[d]).thenComparing(d -> d)).toList();
    }

    private Path documentsFile() throws IOException {
        return Files.write(dir.resolve("docs.txt"), documents, UTF_8);
    }

    @Test
    void printsJsonBestFirstWithTheLibrarysScores() throws IOException {
        CommandRun run = CommandRun.of("rerank", "--model", Shared.arg(MODEL), "--query", query, "--input",
                documentsFile().toString(), "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode ranked = new ObjectMapper().readTree(run.out());
        assertThat(ranked).hasSize(documents.size());
        List<Integer> expected = byScore(scores);
        for (int r = 0; r < ranked.size(); r++) {
            JsonNode entry = ranked.get(r);
            int index = expected.get(r);
            assertThat(entry.get("index").asInt()).isEqualTo(index);
            assertThat(entry.get("score").floatValue()).isCloseTo(scores[index], within(1e-5f));
            assertThat(entry.get("text").asText()).isEqualTo(documents.get(index));
        }
    }

    @Test
    void printsATableOfTheTopKWithRawScoresWhenAsked() throws IOException {
        CommandRun run = CommandRun.of("rerank", "--model", Shared.arg(MODEL), "--query", query, "--input",
                documentsFile().toString(), "--top-k", "2", "--raw-scores");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("Query: " + query);
        List<Integer> expected = byScore(logits);
        for (int r = 1; r <= 2; r++) {
            Matcher match = MATCH.matcher(lines.get(r));
            assertThat(match.matches()).as(lines.get(r)).isTrue();
            int index = expected.get(r - 1);
            assertThat(match.group(1)).isEqualTo(String.valueOf(r));
            assertThat(Double.parseDouble(match.group(2))).isCloseTo(logits[index], within(1e-4));
            assertThat(match.group(3)).isEqualTo(String.valueOf(index + 1));
            assertThat(match.group(4)).isEqualTo(documents.get(index));
        }
    }

    /** Issue 24, item 8: a table line shows the start of a long document, not a megabyte of it. */
    @Test
    void theTableCutsALongDocument() throws IOException {
        String huge = "word ".repeat(200_000);
        Path input = Files.write(dir.resolve("long.txt"), List.of(documents.get(0), huge), UTF_8);

        CommandRun run = CommandRun.of("rerank", "--model", Shared.arg(MODEL), "--query", query, "--input", input.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(3).allSatisfy(line -> assertThat(line.length()).isLessThan(300));
        assertThat(run.out()).contains("word word").contains("… (1,000,000 characters; --format json gives all)");
    }

    @Test
    void readsTheTextsOfAJsonLinesFile() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String document : documents) {
            lines.add(json.createObjectNode().put("id", lines.size()).put("body", document).toString());
        }
        Path input = Files.write(dir.resolve("docs.jsonl"), lines, UTF_8);

        CommandRun run = CommandRun.of("rerank", "--model", Shared.arg(MODEL), "--query", query, "--input", input.toString(),
                "--field", "body", "--format", "json", "--top-k", "1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).get(0).get("index").asInt()).isEqualTo(byScore(scores).get(0));
    }

    @Test
    void infoTellsTheLabelsAndTheActivation() {
        CommandRun run = CommandRun.of("info", "--model", Shared.arg(MODEL));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).contains("family: CrossEncoder", "format: 6.x", "max_seq_length: 64", "labels: LABEL_0",
                "activation: torch.nn.modules.activation.Sigmoid", "onnx_output: logits");
    }

    @Test
    void refusesWhatItCannotRerankClearly() throws IOException {
        Path docs = documentsFile();
        CommandRun dense = CommandRun.of("rerank", "--model", Shared.arg("fixtures/st6/models/seed-bert-mean"), "--query", query,
                "--input", docs.toString());
        assertThat(dense.status()).isEqualTo(1);
        assertThat(dense.err()).startsWith("sentence4j: rerank needs a CrossEncoder (a reranker)")
                .contains("seed-bert-mean is a SentenceTransformer model");

        CommandRun topK = CommandRun.of("rerank", "--model", Shared.arg(MODEL), "--query", query, "--input", docs.toString(),
                "--top-k", "0");
        assertThat(topK.status()).isEqualTo(2);
        assertThat(topK.err()).contains("--top-k must be at least 1, got 0");

        CommandRun empty = CommandRun.of("rerank", "--model", Shared.arg(MODEL), "--query", query, "--input",
                Files.writeString(dir.resolve("empty.txt"), "").toString());
        assertThat(empty.status()).isEqualTo(1);
        assertThat(empty.err()).contains("empty.txt holds no texts to rerank");

        Path longDocument = Files.write(dir.resolve("long.txt"), List.of("short", String.join(" ", java.util.Collections.nCopies(80, "word"))));
        CommandRun tooLong = CommandRun.of("rerank", "--model", Shared.arg(MODEL), "--query", query, "--input",
                longDocument.toString(), "--long-input", "error");
        assertThat(tooLong.status()).isEqualTo(1);
        assertThat(tooLong.err()).startsWith("sentence4j: " + longDocument + ", line 2: the query and this text make ")
                .contains("more than the 64 the model takes");
    }
}
