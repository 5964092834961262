package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both built-in models reproduce the reference vectors computed outside this project. */
class ReferenceVectorsTest {
    private static Map<String, SentenceTransformer> models;

    @BeforeAll
    static void load() {
        models = Map.of(Shared.MINILM, SentenceTransformer.load(Shared.MINILM), Shared.BGE, SentenceTransformer.load(Shared.BGE));
    }

    @AfterAll
    static void close() {
        models.values().forEach(SentenceTransformer::close);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Shared.MINILM, Shared.BGE).flatMap(model -> Stream.of("seed-sentences", "stsb-dev-sample", "edge-cases")
                .map(set -> Arguments.of(model, set)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void matchesReference(String model, String set) throws IOException {
        List<String> texts = Shared.referenceTexts(set);
        float[][] expected = Npy.read(Shared.path("reference/" + set + "." + Shared.shortName(model) + ".npy"));

        float[][] actual = models.get(model).encode(texts);

        assertThat(actual).hasSameDimensionsAs(expected);
        for (int row = 0; row < expected.length; row++) {
            assertThat(maxAbsDiff(actual[row], expected[row]))
                    .as("row %d (%s)", row, texts.get(row))
                    .isLessThanOrEqualTo(1e-5);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
