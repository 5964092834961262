package dev.sentence4j.transformer;

/**
 * Which ONNX file a Transformer module runs, and how.
 *
 * @param onnxFile the ONNX file to run, as a path inside the model, or {@code null} to pick one
 * @param quantized when no file is named, pick the model's int8 export rather than its float32 one
 * @param runtime how ONNX Runtime runs it
 */
public record TransformerOptions(String onnxFile, boolean quantized, RuntimeOptions runtime) {}
