package dev.sentence4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LlmRerankerFolders;
import dev.sentence4j.TextPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rerank with an LLM reranker (Transformer for text generation, LogitScore) in sentence-transformers 6's
 * layout, built as LlmRerankerTest builds it (which checks the library's scores against a float64
 * forward): the command ranks the documents best first with the library's scores.
 */
class LlmRerankCommandTest {
    private static final String QUERY = "what is the capital of france";
    private static final List<String> DOCUMENTS = List.of("paris is the capital", "the cat sleeps on the mat", "london is big");

    @TempDir
    Path dir;

    @Test
    void ranksTheDocumentsByTheLibrarysYesAgainstNoScores() throws Exception {
        Path model = LlmRerankerFolders.write(dir.resolve("llm-reranker"));
        Path input = Files.write(dir.resolve("docs.txt"), DOCUMENTS, UTF_8);
        float[] scores;
        try (CrossEncoder reranker = CrossEncoder.load(model.toString())) {
            scores = reranker.predict(DOCUMENTS.stream().map(d -> new TextPair(QUERY, d)).toList());
        }

        CommandRun run = CommandRun.of("rerank", "--model", model.toString(), "--query", QUERY, "--input", input.toString(),
                "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode ranked = new ObjectMapper().readTree(run.out());
        assertThat(ranked).hasSize(DOCUMENTS.size());
        List<Integer> expected = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer d) -> -scores[d]).thenComparing(d -> d)).toList();
        for (int r = 0; r < ranked.size(); r++) {
            int index = expected.get(r);
            assertThat(ranked.get(r).get("index").asInt()).isEqualTo(index);
            assertThat(ranked.get(r).get("score").floatValue()).isCloseTo(scores[index], within(1e-5f));
            assertThat(ranked.get(r).get("text").asText()).isEqualTo(DOCUMENTS.get(index));
        }
    }
}
