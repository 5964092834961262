package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.TestModels;
import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsEvaluation;
import dev.sentence4j.evaluation.StsResult;
import dev.sentence4j.evaluation.StsScore;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The STS benchmark dev split, with the Spearman figures of shared/reference/README.md. */
class EvalStsCommandTest {
    private static final String STSB = "data/stsb-en-dev.csv";
    private static final Pattern ROW = Pattern.compile("(\\w+) +(0\\.\\d{7})  (0\\.\\d{7})");

    @Test
    void printsTheReferenceSpearmanOfMiniLm() throws IOException {
        CommandRun run = CommandRun.of("eval", "sts", Shared.arg(STSB));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(7);
        assertThat(run.outLines().subList(0, 3)).containsExactly("model: sentence-transformers/all-MiniLM-L6-v2",
                "file: " + Shared.arg(STSB) + " (1500 pairs)", "similarity  pearson    spearman ");
        StsResult library = StsEvaluation.evaluate(TestModels.get(Shared.MINILM), StsCsv.read(Shared.path(STSB)));
        List<SimilarityFunction> functions = List.of(SimilarityFunction.values());
        for (int i = 0; i < functions.size(); i++) {
            Matcher line = ROW.matcher(run.outLines().get(3 + i));
            assertThat(line.matches()).as(run.outLines().get(3 + i)).isTrue();
            assertThat(line.group(1)).isEqualTo(functions.get(i).label());
            StsScore expected = library.score(functions.get(i));
            assertThat(Double.parseDouble(line.group(2))).as("%s pearson", line.group(1))
                    .isCloseTo(expected.pearson(), within(1e-6));
            assertThat(Double.parseDouble(line.group(3))).as("%s spearman", line.group(1))
                    .isCloseTo(expected.spearman(), within(1e-6));
        }
        // MiniLM's vectors have length 1: dot product and euclidean distance rank exactly as cosine does.
        for (String function : List.of("cosine", "dot", "euclidean")) {
            assertThat(run.outLines()).anyMatch(line -> line.matches(function + " +0\\.\\d{7}  0\\.8671631"));
        }
    }

    @Test
    void printsJsonWithTheReferenceSpearmanOfBge() throws IOException {
        CommandRun run = CommandRun.of("eval", "sts", "--model", Shared.BGE, Shared.arg(STSB), "--json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("pairs").asInt()).isEqualTo(1500);
        assertThat(report.get("model").asText()).isEqualTo(Shared.BGE);
        JsonNode scores = report.get("scores");
        assertThat(scores.fieldNames()).toIterable().containsExactly("cosine", "dot", "euclidean", "manhattan");
        assertThat(scores.get("cosine").get("spearman").asDouble()).isCloseTo(0.8892466, within(1e-6));
        // bge's vectors have length 1: dot product equals cosine, so both correlations do; euclidean
        // distance is a decreasing function of it, so it ranks, and correlates by rank, the same.
        double cosinePearson = scores.get("cosine").get("pearson").asDouble();
        assertThat(scores.get("dot").get("pearson").asDouble()).isCloseTo(cosinePearson, within(1e-6));
        assertThat(scores.get("dot").get("spearman").asDouble()).isCloseTo(0.8892466, within(1e-6));
        assertThat(scores.get("euclidean").get("spearman").asDouble()).isCloseTo(0.8892466, within(1e-6));
        assertThat(scores.get("euclidean").get("pearson").asDouble()).isNotCloseTo(cosinePearson, within(1e-6));
        assertThat(scores.get("manhattan").get("spearman").asDouble()).isNotCloseTo(0.8892466, within(1e-6));
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
