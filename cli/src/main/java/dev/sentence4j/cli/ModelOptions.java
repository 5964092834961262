package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import picocli.CommandLine.Option;

/** The options that choose the model, shared by every command. */
final class ModelOptions {
    private static final String DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2";

    @Option(names = "--model", paramLabel = "ID|DIR", defaultValue = DEFAULT_MODEL,
            description = "A built-in model id (sentence-transformers/all-MiniLM-L6-v2, BAAI/bge-small-en-v1.5) "
                    + "or a sentence-transformers model folder with an ONNX export. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--onnx-file", paramLabel = "PATH",
            description = "The ONNX file to run, as a path inside the model folder. "
                    + "Default: onnx/model.onnx, else model.onnx.")
    String onnxFile;

    @Option(names = "--quantized",
            description = "Run the model's int8 ONNX export (onnx/model_quantized.onnx and the like) when no --onnx-file is named.")
    boolean quantized;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Transformer batches run at once, one core each. Default: one per physical core.")
    int threads;

    /** Loads the chosen model; the caller closes it. */
    SentenceTransformer load() {
        if (threads < 0) {
            throw new CliException("--threads must be at least 1 (or 0 for one per physical core), got " + threads);
        }
        SentenceTransformer loaded = SentenceTransformer.load(model,
                LoadOptions.defaults().withOnnxFile(onnxFile).withQuantized(quantized).withThreads(threads));
        // On Ctrl-C the JVM exits while batches may still run in native code; closing the model first
        // lets them finish, where ONNX Runtime's teardown racing them would crash the process.
        Runtime.getRuntime().addShutdownHook(new Thread(loaded::close, "sentence4j-close-model"));
        return loaded;
    }
}
