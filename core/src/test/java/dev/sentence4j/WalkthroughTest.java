package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The classic walkthrough: the coffin full of Jello is closest to the person box packed with jelly. */
class WalkthroughTest {

    /** Cosine of seed sentence 1 against sentences 2 to 6, from shared/reference/README.md. */
    static Stream<Arguments> expectedScores() {
        return Stream.of(
                Arguments.of(Shared.MINILM, new double[] {0.220594, 0.476377, 0.054843, 0.340702, 0.227431}),
                Arguments.of(Shared.BGE, new double[] {0.419566, 0.611070, 0.427378, 0.528917, 0.476001}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectedScores")
    void sentenceThreeIsTheBestMatch(String model, double[] expected) {
        SentenceTransformer encoder = TestModels.get(model);
        List<String> sentences = Shared.lines("data/seed-sentences.txt");

        float[][] vectors = encoder.encode(sentences);
        float[][] scores = encoder.similarity(new float[][] {vectors[0]}, vectors);

        for (int i = 1; i < sentences.size(); i++) {
            assertThat((double) scores[0][i]).as("sentence 1 vs %d", i + 1).isCloseTo(expected[i - 1], within(1e-5));
        }
        int best = 1;
        for (int i = 2; i < sentences.size(); i++) {
            best = scores[0][i] > scores[0][best] ? i : best;
        }
        assertThat(sentences.get(best)).isEqualTo("The person box was packed with jelly many dozens of months later.");
        assertThat(scores[0][0]).isCloseTo(1f, within(1e-6f));
    }
}
