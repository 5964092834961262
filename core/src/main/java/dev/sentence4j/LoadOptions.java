package dev.sentence4j;

import java.util.Optional;

/**
 * Choices made when loading a model.
 *
 * @param onnxFile the ONNX file to run, as a path inside the model folder (for example
 *     {@code onnx/model_qint8_avx512_vnni.onnx}); {@code null} picks {@code onnx/model.onnx} or
 *     {@code model.onnx}
 */
public record LoadOptions(String onnxFile) {
    /** The defaults: the model's standard ONNX file. */
    public static LoadOptions defaults() {
        return new LoadOptions(null);
    }

    /** These options with another ONNX file. */
    public LoadOptions withOnnxFile(String file) {
        return new LoadOptions(file);
    }

    /** The chosen ONNX file, if one was named. */
    public Optional<String> chosenOnnxFile() {
        return Optional.ofNullable(onnxFile);
    }
}
