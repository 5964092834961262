package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static dev.sentence4j.VectorAssertions.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both built-in models reproduce the reference vectors computed outside this project, which followed
 * sentence-transformers 5.x; where 6.x gives other vectors (below), 6.x wins.
 */
class ReferenceVectorsTest {

    static Stream<Arguments> modelsAndSets() {
        return Stream.of(Shared.MINILM, Shared.BGE).flatMap(model -> Stream.of("seed-sentences", "stsb-dev-sample", "edge-cases")
                .map(set -> Arguments.of(model, set)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("modelsAndSets")
    void matchesReference(String model, String set) throws IOException {
        assertMatchesReference(TestModels.get(model), model, set);
    }

    /**
     * The encoder's vectors of a reference set equal the reference's, except on texts 5.x lowercased
     * otherwise (see below).
     */
    static void assertMatchesReference(SentenceTransformer encoder, String model, String set) throws IOException {
        List<String> texts = Shared.referenceTexts(set);
        float[][] expected = reference(model, set);

        float[][] actual = encoder.encode(texts);

        List<Integer> lowercasedOtherwise = encoder.tokenizer().settings().doLowerCase() ? lowercasedOtherwiseBy5x(texts) : List.of();
        List<Integer> same = IntStream.range(0, texts.size()).filter(i -> !lowercasedOtherwise.contains(i)).boxed().toList();
        assertClose(same.stream().map(i -> actual[i]).toArray(float[][]::new),
                same.stream().map(i -> expected[i]).toArray(float[][]::new), REFERENCE_TOLERANCE,
                same.stream().map(texts::get).toList());
    }

    /**
     * A fast load ({@link LoadOptions#withFastLoad}: ONNX Runtime's weights left unpacked) gives the reference
     * vectors too, within a float's last bits of a default load's, and sets the session up that way.
     */
    @Test
    void aFastLoadMatchesTheReferenceToo() throws IOException {
        LoadOptions fast = LoadOptions.defaults().withFastLoad(true);
        assertThat(fast.withThreads(2).fastLoad()).as("kept by the other options' withers").isTrue();
        assertThat(fast).isNotEqualTo(LoadOptions.defaults()).hasToString(LoadOptions.defaults().toString()
                .replaceFirst("]$", ", fastLoad]"));
        assertThat(ModuleTypes.transformerOptions(fast).runtime().prepack()).isFalse();
        assertThat(ModuleTypes.transformerOptions(LoadOptions.defaults()).runtime().prepack()).isTrue();
        List<String> texts = Shared.referenceTexts("stsb-dev-sample");

        try (SentenceTransformer model = SentenceTransformer.load(Shared.MINILM, fast)) {
            assertMatchesReference(model, Shared.MINILM, "stsb-dev-sample");
            assertClose(model.encode(texts), TestModels.get(Shared.MINILM).encode(texts), 1e-6, texts);
        }
    }

    /**
     * With {@code do_lower_case} (bge-small-en-v1.5), 5.x lowercased whole texts with Python's
     * {@code str.lower()}, whose final-sigma rule turns a word-final Σ into ς; 6.x lowercases in the
     * tokenizer, letter by letter, into σ. The Greek line of edge-cases.txt differs, and 6.x wins.
     */
    @Test
    void lowercasingIsLetterByLetterAs6xNotWholeStringAs5x() throws IOException {
        List<String> texts = Shared.referenceTexts("edge-cases");
        List<Integer> greek = lowercasedOtherwiseBy5x(texts);
        assertThat(greek).hasSize(1);
        String text = texts.get(greek.get(0));
        SentenceTransformer bge = TestModels.get(Shared.BGE);

        float[] actual = bge.encode(text);

        assertThat(actual).containsExactly(bge.encode(letterByLetterLowercase(text)), within(1e-6f));
        assertThat(maxAbsDiff(actual, bge.encode(text.toLowerCase(Locale.ROOT)))).isGreaterThan(1e-3);
        assertThat(maxAbsDiff(actual, reference(Shared.BGE, "edge-cases")[greek.get(0)])).isGreaterThan(1e-3);
    }

    /** The texts whose whole-string lowercasing (5.x) differs from lowercasing letter by letter (6.x). */
    private static List<Integer> lowercasedOtherwiseBy5x(List<String> texts) {
        return IntStream.range(0, texts.size())
                .filter(i -> !texts.get(i).toLowerCase(Locale.ROOT).equals(letterByLetterLowercase(texts.get(i))))
                .boxed().toList();
    }

    private static String letterByLetterLowercase(String text) {
        return text.codePoints().map(Character::toLowerCase)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
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
