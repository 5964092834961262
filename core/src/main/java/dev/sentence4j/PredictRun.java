package dev.sentence4j;

import dev.sentence4j.layer.Activation;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code predict} call of a CrossEncoder on tokenized pairs: apply the long-input policy, run the
 * classifier in {@link LengthBatches}, then apply the activation and softmax.
 */
final class PredictRun {
    private final Pipeline pipeline;
    private final Classifier classifier;
    private final Workers workers;
    private final PredictOptions options;

    PredictRun(Pipeline pipeline, Classifier classifier, Workers workers, PredictOptions options) {
        this.pipeline = pipeline;
        this.classifier = classifier;
        this.workers = workers;
        this.options = options;
    }

    /** Each pair's scores, {@code [pairs][labels]}, in order. */
    float[][] scores(TokenizedTexts<TextPair> pairs) {
        if (options.longInputs() == LongInputs.ERROR) {
            pairs.requireNoneTruncated("pair");
        }
        List<Tokens> tokens = pairs.tokens();
        Tokenizer tokenizer = pipeline.tokenizer();
        int[] lengths = tokens.stream().mapToInt(Tokens::length).toArray();
        List<float[]> logits = LengthBatches.run(lengths, options.batchSize(), options.maxBatchTokens(), workers,
                rows -> Arrays.asList(pipeline.run(tokenizer.pad(rows.stream().map(tokens::get).toList()), null, false).scores()));
        float[][] scores = new float[logits.size()][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = finish(logits.get(i));
        }
        return scores;
    }

    private float[] finish(float[] logits) {
        if (logits.length != classifier.numLabels()) {
            throw new IllegalStateException(pipeline.input().source() + " gave " + logits.length
                    + " logits for a pair; the model has " + classifier.numLabels() + " labels");
        }
        float[] scores = logits.clone();
        if (options.applyActivation() && classifier.activation() != Activation.IDENTITY) {
            for (int k = 0; k < scores.length; k++) {
                scores[k] = (float) classifier.activation().apply(scores[k]);
            }
        }
        return options.applySoftmax() ? softmax(scores) : scores;
    }

    private static float[] softmax(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float score : scores) {
            max = Math.max(max, score);
        }
        double sum = 0;
        double[] exps = new double[scores.length];
        for (int k = 0; k < scores.length; k++) {
            exps[k] = Math.exp(scores[k] - max);
            sum += exps[k];
        }
        float[] softmax = new float[scores.length];
        for (int k = 0; k < scores.length; k++) {
            softmax[k] = (float) (exps[k] / sum);
        }
        return softmax;
    }
}
