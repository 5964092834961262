package dev.sentence4j.pool;

import dev.sentence4j.module.Feature;
import dev.sentence4j.module.FeatureModule;
import dev.sentence4j.module.Features;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.TokenEmbeddings;
import java.util.Locale;

/**
 * The {@code SpladePooling} module of a sparse encoder: turns a text's masked-LM logits
 * {@code z[token][vocabulary]} into one weight per vocabulary entry,
 * {@code s[v] = POOL over real tokens of log(1 + relu(z[t][v]))} (max or sum), as
 * sentence-transformers' SpladePooling computes it; padding counts as a logit of 0.
 *
 * @param strategy how the token weights of one entry are combined
 * @param activation what turns a logit into a token weight
 */
public record SpladePooling(Strategy strategy, Activation activation) implements FeatureModule {
    /** How the token weights of one vocabulary entry are combined. */
    public enum Strategy {
        /** The largest (SPLADE v2 and later). */
        MAX,
        /** Their sum (the original SPLADE). */
        SUM
    }

    /** What turns a logit into a token weight. */
    public enum Activation {
        /** {@code log(1 + relu(x))}, every SPLADE model's. */
        RELU,
        /** {@code log(1 + log(1 + relu(x)))}, OpenSearch's inference-free SPLADE models'. */
        LOG1P_RELU
    }

    public SpladePooling {
        if (strategy == null || activation == null) {
            throw new IllegalArgumentException("strategy and activation must be given");
        }
    }

    /**
     * Reads a SpladePooling module's {@code config.json}: {@code pooling_strategy} ({@code max} or
     * {@code sum}, default max) and {@code activation_function} ({@code relu} or {@code log1p_relu},
     * default relu). Its {@code embedding_dimension} is not used: the vector has one entry per
     * vocabulary entry of the logits, whatever the file says.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file and the key that is wrong
     */
    public static SpladePooling read(ModuleFolder module) {
        ConfigFile config = module.config("config.json");
        if (!config.root().isObject()) {
            throw config.error("expected a JSON object");
        }
        Strategy strategy = config.text("pooling_strategy").map(name -> switch (name) {
            case "max" -> Strategy.MAX;
            case "sum" -> Strategy.SUM;
            default -> throw config.error("pooling_strategy is '" + name + "'; sentence-transformers knows max and sum");
        }).orElse(Strategy.MAX);
        Activation activation = config.text("activation_function").map(name -> switch (name) {
            case "relu" -> Activation.RELU;
            case "log1p_relu" -> Activation.LOG1P_RELU;
            default -> throw config.error("activation_function is '" + name + "'; sentence-transformers knows relu and log1p_relu");
        }).orElse(Activation.RELU);
        return new SpladePooling(strategy, activation);
    }

    /** The masked-LM logits pooled into one weight per vocabulary entry per text. */
    @Override
    public Features apply(Features in) {
        return in.withSentence(pool(in.tokens()));
    }

    @Override
    public Feature reads() {
        return Feature.TOKEN_LOGITS;
    }

    @Override
    public Feature gives() {
        return Feature.SENTENCE_EMBEDDING;
    }

    @Override
    public int inputWidth() {
        return 0;
    }

    @Override
    public String inputWidthKey() {
        return "vocab_size";
    }

    @Override
    public int outputWidth(int width) {
        return width;
    }

    /** Pools every row of a batch of masked-LM logits: one dense row of {@code vocabulary} weights per text. */
    public float[][] pool(TokenEmbeddings logits) {
        float[][] pooled = new float[logits.batchSize()][];
        for (int row = 0; row < pooled.length; row++) {
            pooled[row] = poolRow(logits, row);
        }
        return pooled;
    }

    private float[] poolRow(TokenEmbeddings logits, int row) {
        int vocabulary = logits.hiddenSize();
        float[] z = logits.values();
        float[] pooled = new float[vocabulary];
        if (strategy == Strategy.MAX) {
            // log1p is increasing, so the largest weight is that of the largest logit: one log1p per entry,
            // not one per token and entry. A padded position's weight, log1p(relu(0)), is 0: the start.
            for (int t = 0; t < logits.sequenceLength(); t++) {
                if (logits.isReal(row, t)) {
                    for (int v = 0, at = logits.offset(row, t); v < vocabulary; v++, at++) {
                        pooled[v] = Math.max(pooled[v], z[at]);
                    }
                }
            }
            for (int v = 0; v < vocabulary; v++) {
                pooled[v] = weight(pooled[v]);
            }
        } else {
            for (int t = 0; t < logits.sequenceLength(); t++) {
                if (logits.isReal(row, t)) {
                    for (int v = 0, at = logits.offset(row, t); v < vocabulary; v++, at++) {
                        pooled[v] += weight(z[at]);
                    }
                }
            }
        }
        return pooled;
    }

    /** A logit's weight: 0 for a logit of 0 or less. */
    private float weight(float logit) {
        if (logit <= 0) {
            return 0;
        }
        double weight = Math.log1p(logit);
        return (float) (activation == Activation.LOG1P_RELU ? Math.log1p(weight) : weight);
    }

    /** As sentence-transformers names the configuration ({@code max+relu}). */
    @Override
    public String toString() {
        return strategy.name().toLowerCase(Locale.ROOT) + "+" + activation.name().toLowerCase(Locale.ROOT);
    }
}
