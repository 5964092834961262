package dev.sentence4j.module;

import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.Tokenizer;
import java.util.List;

/**
 * One branch of a model, run in order: an input module, then feature modules. Checked when built, so
 * each module reads what the one before it gives. Thread-safe.
 */
public final class Pipeline implements AutoCloseable {
    private final InputModule input;
    private final List<FeatureModule> rest;
    /** Known once read: the input module may not be asked after closing. */
    private final int width;

    /**
     * @param input the module that tokenizes and starts the features
     * @param rest the modules after it, in order, each reading what the one before gives (not checked here:
     *     the reader of the model's folder checks and names the file)
     */
    public Pipeline(InputModule input, List<FeatureModule> rest) {
        this.input = input;
        this.rest = List.copyOf(rest);
        int width = input.width();
        for (FeatureModule module : rest) {
            width = module.outputWidth(width);
        }
        this.width = width;
    }

    /** The input module. */
    public InputModule input() {
        return input;
    }

    /** The modules after the input module, in order. */
    public List<FeatureModule> rest() {
        return rest;
    }

    /** The tokenizer of this branch. */
    public Tokenizer tokenizer() {
        return input.tokenizer();
    }

    /**
     * Runs one padded batch through every module.
     *
     * @param promptLengths per row, the tokens of its prompt
     * @param skipNormalize leave out the modules that scale vectors to unit length
     */
    public Features run(BatchEncoding batch, int[] promptLengths, boolean skipNormalize) {
        Features features = input.features(batch).withPromptLengths(promptLengths);
        for (FeatureModule module : rest) {
            if (!(skipNormalize && module.normalizes())) {
                features = module.apply(features);
            }
        }
        return features;
    }

    /** What the last module gives. */
    public Feature gives() {
        return rest.isEmpty() ? input.gives() : rest.get(rest.size() - 1).gives();
    }

    /** The width of what the last module gives, or 0 where only running tells. */
    public int width() {
        return width;
    }

    /** Whether the last word on vector length is a module that scales to unit length. */
    public boolean normalizes() {
        return !rest.isEmpty() && rest.get(rest.size() - 1).normalizes();
    }

    @Override
    public void close() {
        input.close();
    }
}
