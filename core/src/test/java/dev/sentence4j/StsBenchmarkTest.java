package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.evaluation.Correlation;
import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsPair;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The STS benchmark dev split: Spearman of cosine against the gold scores, as published for each model. */
class StsBenchmarkTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sentence-transformers/all-MiniLM-L6-v2, 0.8671631", "BAAI/bge-small-en-v1.5, 0.8892466"})
    void cosineSpearmanMatchesTheReference(String model, double expected) throws IOException {
        assertThat(spearman(TestModels.get(model))).isCloseTo(expected, within(1e-6));
    }

    /** The int8 exports may cost accuracy, but no more than 0.002 of Spearman. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"sentence-transformers/all-MiniLM-L6-v2, 0.8671631", "BAAI/bge-small-en-v1.5, 0.8892466"})
    void int8CostsLittleAccuracy(String model, double float32) throws IOException {
        try (SentenceTransformer int8 = SentenceTransformer.load(model, LoadOptions.defaults().withQuantized(true))) {
            assertThat(spearman(int8)).isCloseTo(float32, within(0.002));
        }
    }

    static double spearman(SentenceTransformer encoder) throws IOException {
        List<StsPair> pairs = StsCsv.read(Shared.path("data/stsb-en-dev.csv"));
        float[][] first = encoder.encode(pairs.stream().map(StsPair::sentence1).toList());
        float[][] second = encoder.encode(pairs.stream().map(StsPair::sentence2).toList());
        float[] cosine = SimilarityFunction.COSINE.pairwise(first, second);

        double[] predicted = new double[cosine.length];
        for (int i = 0; i < cosine.length; i++) {
            predicted[i] = cosine[i];
        }
        double[] gold = pairs.stream().mapToDouble(StsPair::score).toArray();
        assertThat(pairs).hasSize(1500);
        return Correlation.spearman(predicted, gold);
    }
}
