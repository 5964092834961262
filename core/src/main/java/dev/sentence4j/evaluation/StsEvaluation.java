package dev.sentence4j.evaluation;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.similarity.SimilarityFunction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Semantic textual similarity evaluation, as sentence-transformers' {@code EmbeddingSimilarityEvaluator}:
 * each pair's two sentences are compared by cosine, dot product, negative euclidean and negative
 * manhattan distance, and each kind of score is correlated with the gold scores.
 */
public final class StsEvaluation {
    private StsEvaluation() {}

    /**
     * Encodes every distinct sentence of the pairs once with the model, then scores as
     * {@link #evaluate(float[][], float[][], double[])}.
     */
    public static StsResult evaluate(SentenceTransformer model, List<StsPair> pairs) {
        return evaluate(model::encode, pairs);
    }

    /**
     * Encodes every distinct sentence of the pairs once with {@code encoder} (a model's {@code encode},
     * perhaps with options or progress reports), then scores as
     * {@link #evaluate(float[][], float[][], double[])}.
     */
    public static StsResult evaluate(Function<List<String>, float[][]> encoder, List<StsPair> pairs) {
        Map<String, Integer> positions = new LinkedHashMap<>();
        for (StsPair pair : pairs) {
            positions.putIfAbsent(pair.sentence1(), positions.size());
            positions.putIfAbsent(pair.sentence2(), positions.size());
        }
        float[][] vectors = encoder.apply(new ArrayList<>(positions.keySet()));
        float[][] first = new float[pairs.size()][];
        float[][] second = new float[pairs.size()][];
        for (int i = 0; i < pairs.size(); i++) {
            first[i] = vectors[positions.get(pairs.get(i).sentence1())];
            second[i] = vectors[positions.get(pairs.get(i).sentence2())];
        }
        return evaluate(first, second, pairs.stream().mapToDouble(StsPair::score).toArray());
    }

    /**
     * The correlations with {@code gold} of the scores of {@code first[i]} against {@code second[i]}.
     *
     * @throws IllegalArgumentException if the three differ in length, or fewer than 2 pairs are given
     */
    public static StsResult evaluate(float[][] first, float[][] second, double[] gold) {
        if (first.length != gold.length) {
            throw new IllegalArgumentException("need one gold score per pair: " + first.length + " pairs, "
                    + gold.length + " scores");
        }
        Map<SimilarityFunction, StsScore> scores = new EnumMap<>(SimilarityFunction.class);
        for (SimilarityFunction function : SimilarityFunction.values()) {
            float[] predicted = function.pairwise(first, second);
            double[] widened = new double[predicted.length];
            for (int i = 0; i < predicted.length; i++) {
                widened[i] = predicted[i];
            }
            scores.put(function, new StsScore(Correlation.pearson(widened, gold), Correlation.spearman(widened, gold)));
        }
        return new StsResult(gold.length, scores);
    }
}
