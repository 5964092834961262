/**
 * The graph builder: a transformer's forward pass as an ONNX graph, from its {@code config.json} and
 * checkpoint, for models that ship no ONNX export. One class per architecture ({@code model_type})
 * composes the pieces of {@link dev.sentence4j.graph.Layers}; {@link dev.sentence4j.graph.CheckpointGraph}
 * is the entry point. The ONNX classes are generated at build time from ONNX's own schema
 * ({@code src/main/protobuf/onnx/onnx.proto}).
 */
package dev.sentence4j.graph;
