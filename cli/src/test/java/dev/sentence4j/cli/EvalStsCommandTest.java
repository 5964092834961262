package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The STS benchmark dev split, with the Spearman figures of shared/reference/README.md. */
class EvalStsCommandTest {
    private static final String STSB = "data/stsb-en-dev.csv";

    @Test
    void printsTheReferenceSpearmanOfMiniLm() {
        CommandRun run = CommandRun.of("eval", "sts", Shared.arg(STSB));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(7);
        assertThat(run.outLines().subList(0, 3)).containsExactly("model: sentence-transformers/all-MiniLM-L6-v2",
                "file: " + Shared.arg(STSB) + " (1500 pairs)", "similarity  pearson    spearman ");
        assertThat(run.outLines().get(3)).matches("cosine      0\\.\\d{7}  0\\.8671631");
        assertThat(run.outLines().subList(4, 7)).satisfiesExactly(
                line -> assertThat(line).matches("dot         0\\.\\d{7}  0\\.\\d{7}"),
                line -> assertThat(line).matches("euclidean   0\\.\\d{7}  0\\.\\d{7}"),
                line -> assertThat(line).matches("manhattan   0\\.\\d{7}  0\\.\\d{7}"));
    }

    @Test
    void printsJsonWithTheReferenceSpearmanOfBge() throws IOException {
        CommandRun run = CommandRun.of("eval", "sts", "--model", Shared.BGE, Shared.arg(STSB), "--json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("pairs").asInt()).isEqualTo(1500);
        assertThat(report.get("model").asText()).isEqualTo(Shared.BGE);
        assertThat(report.get("scores").get("cosine").get("spearman").asDouble()).isCloseTo(0.8892466, within(1e-6));
        // bge's vectors have length 1, so dot product ranks exactly as cosine does.
        assertThat(report.get("scores").get("dot").get("spearman").asDouble())
                .isCloseTo(report.get("scores").get("cosine").get("spearman").asDouble(), within(1e-6));
        assertThat(report.get("scores").fieldNames()).toIterable().containsExactly("cosine", "dot", "euclidean", "manhattan");
    }

    @Test
    void aBadRowIsNamed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("sts.csv"), "sentence1,sentence2,score\na,b,1\nc,d,high\n");
        Path one = Files.writeString(dir.resolve("one.csv"), "a,b,1\n");

        CommandRun bad = CommandRun.of("eval", "sts", file.toString());
        CommandRun tooFew = CommandRun.of("eval", "sts", one.toString());

        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.errLines()).containsExactly("sentence4j: " + file + ", line 3: score 'high' is not a number");
        assertThat(tooFew.errLines()).containsExactly("sentence4j: " + one + " holds 1 pair(s); correlations need at least 2");
    }
}
