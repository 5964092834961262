package dev.sentence4j;

import dev.sentence4j.layer.Activation;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code predict} call of a CrossEncoder: prompt, tokenize each pair as one input, apply the
 * long-input policy, run the classifier in length-sorted batches, then apply the activation and softmax.
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
    float[][] scores(List<TextPair> pairs) {
        List<String> firsts = new ArrayList<>(pairs.size());
        List<String> seconds = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            TextPair pair = pairs.get(i);
            if (pair == null || pair.first() == null || pair.second() == null) {
                throw new NullPointerException("pair " + i + (pair == null ? " is null" : pair.first() == null
                        ? " has a null first text" : " has a null second text"));
            }
            firsts.add(pair.first());
            seconds.add(pair.second());
        }
        // As sentence-transformers: the prompt goes before the first text only.
        String prompt = Prompts.choose(modules.config(), options.prompt(), options.promptName());
        Tokenizer tokenizer = modules.transformer().tokenizer();
        List<Tokens> tokens = tokenizer.tokenizePairs(Prompts.prepend(prompt, firsts), seconds);
        if (options.longInputs() == LongInputs.ERROR) {
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i).truncated()) {
                    throw new TextTooLongException("pair", i, tokens.get(i).untruncatedLength(),
                            tokenizer.settings().maxSeqLength());
                }
            }
        }
        int[] lengths = tokens.stream().mapToInt(Tokens::length).toArray();
        List<float[]> logits = LengthBatches.run(lengths, options.batchSize(), options.maxBatchTokens(), workers,
                rows -> Arrays.asList(modules.transformer().scores(tokenizer.pad(rows.stream().map(tokens::get).toList()))));
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
