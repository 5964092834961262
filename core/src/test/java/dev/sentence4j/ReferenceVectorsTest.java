package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;

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

        assertClose(actual, reference(model, set), REFERENCE_TOLERANCE, texts);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Shared.MINILM, Shared.BGE})
    void sameVectorsWhateverTheBatchSizeAndInputOrder(String model) throws IOException {
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");
        float[][] expected = reference(model, "stsb-dev-sample");
        SentenceTransformer encoder = TestModels.get(model);

        for (int batchSize : new int[] {1, 7, 32}) {
            assertClose(encoder.encode(texts, EncodeOptions.defaults().withBatchSize(batchSize)), expected, REFERENCE_TOLERANCE, texts);
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
        assertClose(restored, expected, REFERENCE_TOLERANCE, texts);
    }

    static float[][] reference(String model, String set) throws IOException {
        return Npy.read(Shared.path("reference/" + set + "." + Shared.shortName(model) + ".npy"));
    }
}
