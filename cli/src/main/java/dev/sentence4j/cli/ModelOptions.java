package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.model.ModelFiles;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options that choose the model, shared by every command that runs one. */
final class ModelOptions {
    private static final String DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2";

    @Option(names = "--model", paramLabel = "ID|DIR", defaultValue = DEFAULT_MODEL,
            description = "A sentence-transformers model folder with an ONNX export, a built-in model id "
                    + "(sentence-transformers/all-MiniLM-L6-v2, BAAI/bge-small-en-v1.5), or any Hugging Face Hub id "
                    + "whose repository has an ONNX export: downloaded once into the Hugging Face cache "
                    + "(HF_HUB_CACHE, HF_HOME; HF_TOKEN for private models; HF_HUB_OFFLINE=1 for the cache alone). "
                    + "Default: ${DEFAULT-VALUE}.")
    String model;

    @Mixin
    LoadChoices choices;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Transformer batches run at once, one core each. Default: one per physical core.")
    int threads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Loads the chosen model, showing the progress of any download; the caller closes it. */
    SentenceTransformer load() {
        return load(model, choices.applyTo(Main.loadDefaults(command)));
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
        return load(otherModel, choices.applyTo(Main.loadDefaults(command)).withOnnxFile(file));
    }

    private SentenceTransformer load(String modelId, LoadOptions chosen) {
        if (threads < 0) {
            throw new CliException("--threads must be at least 1 (or 0 for one per physical core), got " + threads);
        }
        LoadOptions options = chosen.withThreads(threads);
        ModelFiles files = ModelFiles.resolve(modelId, options.revision(), Main.hub(command));
        // Loading runs native code: a stop waits for it, then closes the model.
        return ProcessStop.PROCESS.open(() -> SentenceTransformer.load(files, options));
    }
}
