package dev.sentence4j;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.FeatureModule;
import dev.sentence4j.module.Features;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The {@code LogitScore} module of an LLM reranker (sentence-transformers 6): a causal language model's
 * logits at the last position become one score, {@code logit(true) - logit(false)}, or
 * {@code logit(true)} alone when no false token is given. The graph computes just these rows of the
 * language-model head ({@link #rows()}).
 *
 * @param trueTokenId the token that means relevant ("yes")
 * @param falseTokenId the token that means irrelevant ("no"), if any
 */
record LogitScore(int trueTokenId, Optional<Integer> falseTokenId) implements FeatureModule {
    /** The config file sentence-transformers writes into the module's folder. */
    private static final String CONFIG = "config.json";
    /** The Hugging Face config of the model's folder. */
    private static final String HF_CONFIG = "config.json";

    /**
     * Reads the module's {@code config.json}: {@code true_token_id}, {@code false_token_id} (null for
     * none) and {@code module_input_name}, which must be the causal LM's logits.
     *
     * @throws ModelLoadException naming the file and field
     */
    static LogitScore read(ModuleFolder module) {
        ConfigFile config = module.config(CONFIG);
        int trueId = config.integer("true_token_id").orElseThrow(() -> config.error(
                "field 'true_token_id' (the vocabulary id of the token that means relevant) is missing"));
        Optional<Integer> falseId = config.field("false_token_id").filter(v -> !v.isNull()).map(v -> {
            if (!v.canConvertToInt()) {
                throw config.error("field 'false_token_id' must be a vocabulary id or null, got " + v);
            }
            return v.intValue();
        });
        String input = config.text("module_input_name").orElse("causal_logits");
        if (!input.equals("causal_logits")) {
            throw config.error("module_input_name is '" + input + "'; sentence4j scores the causal LM's 'causal_logits'");
        }
        return new LogitScore(trueId, falseId);
    }

    /**
     * Whether a folder without {@code modules.json} holds a {@code *ForCausalLM}, which sentence-transformers'
     * CrossEncoder runs as an LLM reranker (Transformer for text generation, then LogitScore of "yes" and "no").
     */
    static boolean impliedLlmReranker(ModelFiles files) {
        if (files.exists("modules.json") || !files.exists(HF_CONFIG)) {
            return false;
        }
        return ConfigFile.read(files, HF_CONFIG).architecture().endsWith("ForCausalLM");
    }

    /**
     * The LogitScore of a {@code *ForCausalLM} folder without {@code modules.json}: "yes" against "no" of
     * the folder's {@code tokenizer.json}, read before the Transformer because its graph needs the rows.
     *
     * @throws ModelLoadException when the tokenizer is missing or has no single token for either
     */
    static LogitScore yesNo(ModelFiles files) {
        String file = "tokenizer.json";
        if (!files.exists(file)) {
            throw new ModelLoadException(files.describe(file) + " is missing; sentence4j needs the model's fast-tokenizer file");
        }
        try (InputStream in = files.open(file);
                Tokenizer tokenizer = Tokenizer.load(in, files.describe(file), new TokenizerSettings(2, false, PaddingSide.LEFT))) {
            return yesNo(tokenizer, files.describe(file));
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + files.describe(file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * What sentence-transformers' CrossEncoder sets up for a {@code *ForCausalLM} folder without
     * {@code modules.json}: the vocabulary's "yes" and "no" tokens.
     *
     * @throws ModelLoadException when the vocabulary has no single token for either
     */
    static LogitScore yesNo(Tokenizer tokenizer, String source) {
        return new LogitScore(token(tokenizer, "yes", source), Optional.of(token(tokenizer, "no", source)));
    }

    private static int token(Tokenizer tokenizer, String token, String source) {
        java.util.OptionalLong id = tokenizer.tokenId(token);
        if (id.isEmpty()) {
            throw new ModelLoadException(source + ": the vocabulary has no single '"
                + token + "' token, which an LLM reranker scores by (logit of \"yes\" minus logit of \"no\"); save the model "
                + "with a LogitScore module that names the tokens to use");
        }
        return (int) id.getAsLong();
    }

    /** The vocabulary rows the score reads, true first. */
    List<Integer> rows() {
        return falseTokenId.map(no -> List.of(trueTokenId, no)).orElse(List.of(trueTokenId));
    }

    /** The score from the logits of {@link #rows()}, in that order. */
    float score(float[] rowLogits) {
        return rowLogits.length == 1 ? rowLogits[0] : rowLogits[0] - rowLogits[1];
    }

    /** One score per input, {@code [batch][1]}, from the causal LM's last-position logits of {@link #rows()}. */
    @Override
    public Features apply(Features in) {
        float[][] logits = in.causalLogits();
        float[][] scores = new float[logits.length][];
        for (int b = 0; b < logits.length; b++) {
            if (logits[b].length != rows().size()) {
                throw new IllegalStateException("LogitScore reads " + rows().size() + " logits per input, got " + logits[b].length);
            }
            scores[b] = new float[] {score(logits[b])};
        }
        return in.withScores(scores);
    }

    @Override
    public Feature reads() {
        return Feature.CAUSAL_LOGITS;
    }

    @Override
    public Feature gives() {
        return Feature.SCORES;
    }

    @Override
    public int inputWidth() {
        return rows().size();
    }

    @Override
    public String inputWidthKey() {
        return "true_token_id/false_token_id";
    }

    @Override
    public int outputWidth(int width) {
        return 1;
    }

    @Override
    public String toString() {
        return "LogitScore(true_token_id=" + trueTokenId + ", false_token_id=" + falseTokenId.map(String::valueOf).orElse("null")
                + ")";
    }
}
