package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import picocli.CommandLine.Option;

/** Which version of a model and which of its ONNX files to load: shared by the commands that load one. */
final class LoadChoices {
    @Option(names = "--revision", paramLabel = "REV",
            description = "For a Hugging Face Hub model: the branch, tag or commit to load. Default: main "
                    + "(a built-in model's own files when no revision is given).")
    String revision;

    @Option(names = "--onnx-file", paramLabel = "PATH",
            description = "The ONNX file to run, as a path inside the model. Default: onnx/model.onnx, else model.onnx.")
    String onnxFile;

    /** The defaults, changed as these options say. */
    LoadOptions applyTo(LoadOptions defaults) {
        return defaults.withOnnxFile(onnxFile).withRevision(revision);
    }
}
