package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import picocli.CommandLine.Option;

/** Which revision and ONNX file of a model to load: options of every command that loads or downloads one. */
final class LoadChoices {
    @Option(names = "--revision", paramLabel = "REV",
            description = "For a Hugging Face Hub model: the branch, tag or commit to load. Default: main "
                    + "(a built-in model's own files when no revision is given).")
    String revision;

    @Option(names = "--onnx-file", paramLabel = "PATH",
            description = "The ONNX file to run (or the checkpoint to build the graph from, such as model.safetensors), as a path"
                    + " inside the model. Default: onnx/model.onnx, else model.onnx, else the checkpoint.")
    String onnxFile;

    @Option(names = "--quantized",
            description = "Run the model's int8 ONNX export (onnx/model_quantized.onnx and the like) when no --onnx-file is named;"
                    + " for a checkpoint, quantize its matrix weights to int8 as the graph is built.")
    boolean quantized;

    @Option(names = "--checkpoint",
            description = "Build the transformer's graph from the model's checkpoint (model.safetensors, pytorch_model.bin)"
                    + " even when it has an ONNX export. Without an ONNX export the checkpoint is used anyway.")
    boolean checkpoint;

    /** The defaults, changed as these options say. */
    LoadOptions applyTo(LoadOptions defaults) {
        return defaults.withOnnxFile(onnxFile).withQuantized(quantized).withCheckpoint(checkpoint).withRevision(revision);
    }
}
