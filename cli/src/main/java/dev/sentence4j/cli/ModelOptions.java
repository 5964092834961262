package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.SentenceTransformersConfig;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options that choose the model, shared by every command that runs one. */
final class ModelOptions {
    private static final String DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    /**
     * The most characters a command runs for which it loads its model fast ({@link #loadFor}). A fast load of
     * all-MiniLM-L6-v2 takes some 35 ms less and its encoding some 0.015 ms more per token (BENCHMARKS.md,
     * Start-up), so the two even out at about 2,500 tokens; at about 4 characters to an English token, this
     * limit is some 1,000.
     */
    static final long FEW_CHARACTERS = 4_000;

    @Option(names = "--model", paramLabel = "ID|DIR", defaultValue = DEFAULT_MODEL,
            description = "A sentence-transformers model folder with an ONNX export or a checkpoint (model.safetensors, "
                    + "pytorch_model.bin), a built-in model id "
                    + "(sentence-transformers/all-MiniLM-L6-v2, BAAI/bge-small-en-v1.5), or any Hugging Face Hub id "
                    + "whose repository has either: downloaded once into the Hugging Face cache "
                    + "(HF_HUB_CACHE, HF_HOME; HF_TOKEN for private models; HF_HUB_OFFLINE=1 for the cache alone). "
                    + "Default: ${DEFAULT-VALUE}. serve takes it more than once, to serve several models.")
    void models(List<String> given) {
        // picocli hands the setter every value given so far (none yet, as it starts a list); commands that run one
        // model read the first.
        this.models = given.isEmpty() ? List.of(DEFAULT_MODEL) : List.copyOf(given);
        this.model = models.get(0);
    }

    /** The model chosen: the first --model. */
    String model = DEFAULT_MODEL;
    /** Every --model given, in order; only serve takes more than one. */
    List<String> models = List.of(DEFAULT_MODEL);

    @Mixin
    LoadChoices choices;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Transformer batches run at once, one core each. Default: one per physical core.")
    int threads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** A model family's loader: {@code SentenceTransformer::load}, {@code CrossEncoder::load}, ... */
    @FunctionalInterface
    interface Loader<T extends AutoCloseable> {
        T load(ModelFiles files, LoadOptions options);
    }

    /** Loads the chosen model, showing the progress of any download; the caller closes it. */
    SentenceTransformer load() {
        return load(SentenceTransformer::load);
    }

    /** Loads the chosen model with a family's loader, showing the progress of any download; the caller closes it. */
    <T extends AutoCloseable> T load(Loader<T> loader) {
        return load(single(), loader);
    }

    /** Loads one of the models given with a family's loader, showing the progress of any download; the caller closes it. */
    <T extends AutoCloseable> T load(String modelId, Loader<T> loader) {
        return load(modelId, choices.applyTo(Main.loadDefaults(command)), loader);
    }

    /**
     * Loads the chosen model to run texts of this many characters in all, and no more: a fast load
     * ({@link LoadOptions#withFastLoad}) when they are few; the caller closes it.
     */
    <T extends AutoCloseable> T loadFor(long characters, Loader<T> loader) {
        return load(single(), choices.applyTo(Main.loadDefaults(command)).withFastLoad(characters <= FEW_CHARACTERS), loader);
    }

    /**
     * Which family of model the chosen one is (fetching its files first if it comes from the Hub), for
     * commands that do different work for each.
     */
    ModelFamily family() {
        return family(single());
    }

    /** Which family one of the models given is, fetching its files first if it comes from the Hub. */
    ModelFamily family(String modelId) {
        LoadOptions options = choices.applyTo(Main.loadDefaults(command));
        return SentenceTransformersConfig.read(ModelFiles.resolve(modelId, options.revision(), Main.hub(command))).family();
    }

    /** The one model a command runs; several --model are for serve only. */
    private String single() {
        if (models.size() > 1) {
            throw new CliException("--model is given " + models.size() + " times, but " + command.name()
                    + " runs one model; only serve takes several");
        }
        return model;
    }

    /**
     * Refuses a model of another family than a command runs, in the command's words.
     *
     * @param runs what the command needs, such as "rerank needs a CrossEncoder (a reranker)"
     */
    CliException wrongFamily(ModelFamily family, String runs) {
        return new CliException(runs + "; " + model + " is a " + family.modelType() + " model");
    }

    /**
     * Loads the chosen model, or when none is named, {@code otherModel} with {@code otherOnnxFile}
     * (for an index, the model it was built with); the caller closes it.
     */
    SentenceTransformer loadOr(String otherModel, String otherOnnxFile) {
        if (command.commandLine().getParseResult().hasMatchedOption("--model")) {
            return load();
        }
        String file = choices.onnxFile != null ? choices.onnxFile : otherOnnxFile;
        return load(otherModel, choices.applyTo(Main.loadDefaults(command)).withOnnxFile(file), SentenceTransformer::load);
    }

    private <T extends AutoCloseable> T load(String modelId, LoadOptions chosen, Loader<T> loader) {
        if (threads < 0) {
            throw new CliException("--threads must be at least 1 (or 0 for one per physical core), got " + threads);
        }
        LoadOptions options = chosen.withThreads(threads);
        ModelFiles files = ModelFiles.resolve(modelId, options.revision(), Main.hub(command));
        // Loading runs native code: a stop waits for it, then closes the model.
        return ProcessStop.PROCESS.open(() -> loader.load(files, options));
    }
}
