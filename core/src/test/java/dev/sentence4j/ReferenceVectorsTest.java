package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Both built-in models reproduce the reference vectors computed outside this project. */
class ReferenceVectorsTest {

    static Stream<Arguments> modelsAndSets() {
        return Stream.of(Shared.MINILM, Shared.BGE).flatMap(model -> Stream.of("seed-sentences", "stsb-dev-sample", "edge-cases")
                .map(set -> Arguments.of(model, set)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("modelsAndSets")
    void matchesReference(String model, String set) throws IOException {
        List<String> texts = Shared.referenceTexts(set);

        float[][] actual = TestModels.get(model).encode(texts);

        assertMatches(actual, reference(model, set), texts);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Shared.MINILM, Shared.BGE})
    void sameVectorsWhateverTheBatchSizeAndInputOrder(String model) throws IOException {
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");
        float[][] expected = reference(model, "stsb-dev-sample");
        SentenceTransformer encoder = TestModels.get(model);

        for (int batchSize : new int[] {1, 7, 32}) {
            assertMatches(encoder.encode(texts, EncodeOptions.defaults().withBatchSize(batchSize)), expected, texts);
        }

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(42));
        float[][] shuffled = encoder.encode(order.stream().map(texts::get).toList(), EncodeOptions.defaults().withBatchSize(7));
        float[][] restored = new float[texts.size()][];
        for (int k = 0; k < order.size(); k++) {
            restored[order.get(k)] = shuffled[k];
        }
        assertMatches(restored, expected, texts);
    }

    static float[][] reference(String model, String set) throws IOException {
        return Npy.read(Shared.path("reference/" + set + "." + Shared.shortName(model) + ".npy"));
    }

    static void assertMatches(float[][] actual, float[][] expected, List<String> texts) {
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
