package dev.sentence4j.transformer;

/**
 * Which graph a Transformer module runs, and how.
 *
 * @param onnxFile the ONNX file to run, or the checkpoint to build the graph from, as a path inside the
 *     model; {@code null} to pick one
 * @param quantized when no file is named, pick the model's int8 export rather than its float32 one; for a
 *     checkpoint, quantize its matrix weights to int8 as the graph is built
 * @param checkpoint build the graph from the checkpoint even when the module has an ONNX export
 * @param runtime how ONNX Runtime runs it
 */
public record TransformerOptions(String onnxFile, boolean quantized, boolean checkpoint, RuntimeOptions runtime) {}
