package dev.sentence4j;

import dev.sentence4j.layer.Activation;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code predict} call of a CrossEncoder on tokenized pairs: apply the long-input policy, run the
 * classifier in {@link LengthBatches}, then apply the activation and softmax.
 */
final class PredictRun {
    private final CrossEncoderModules modules;
    private final Workers workers;
    private final PredictOptions options;

    PredictRun(CrossEncoderModules modules, Workers workers, PredictOptions options) {
        this.modules = modules;
        this.workers = workers;
        this.options = options;
    }

    /** Each pair's scores, {@code [pairs][labels]}, in order. */
    float[][] scores(TokenizedTexts<TextPair> pairs) {
        if (options.longInputs() == LongInputs.ERROR) {
            pairs.requireNoneTruncated("pair");
        }
        List<Tokens> tokens = pairs.tokens();
        Tokenizer tokenizer = modules.transformer().tokenizer();
        int[] lengths = tokens.stream().mapToInt(Tokens::length).toArray();
        List<float[]> logits = LengthBatches.run(lengths, options.batchSize(), options.maxBatchTokens(), workers,
                rows -> Arrays.asList(modules.logits(tokenizer.pad(rows.stream().map(tokens::get).toList()))));
        float[][] scores = new float[logits.size()][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = finish(logits.get(i));
        }
        return scores;
    }

    private float[] finish(float[] logits) {
        if (logits.length != modules.numLabels()) {
            throw new IllegalStateException(modules.transformer().source() + " gave " + logits.length
                    + " logits for a pair; the model has " + modules.numLabels() + " labels");
        }
        float[] scores = logits.clone();
        if (options.applyActivation() && modules.activation() != Activation.IDENTITY) {
            for (int k = 0; k < scores.length; k++) {
                scores[k] = (float) modules.activation().apply(scores[k]);
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
