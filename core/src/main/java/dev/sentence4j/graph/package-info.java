/**
 * The graph builder: a transformer's forward pass as an ONNX graph, built from its {@code config.json}
 * and checkpoint, for models that ship no ONNX export. {@link dev.sentence4j.graph.CheckpointGraph} is
 * the entry point; one class per architecture ({@code model_type}) composes a small vocabulary of
 * pieces (linear, LayerNorm, RMSNorm, activations, fused attention, rotary embeddings, heads). The
 * ONNX classes are generated at build time from ONNX's own schema ({@code src/main/protobuf/onnx/onnx.proto}).
 *
 * <p>How the weights reach ONNX Runtime (1.29's Java API): the checkpoint is memory-mapped, each tensor
 * is declared in the graph as an initializer with external data, and its bytes (a slice of the
 * mapping) are handed over with {@code SessionOptions.addExternalInitializers}, which uses a direct
 * buffer in place. This was chosen over ONNX external data pointing into the weight file, which ONNX
 * Runtime resolves against a model path (the graph lives in memory), reads into memory of its own
 * unless the offset is page-aligned, and could not express a pickle's storages or float16 weights
 * without a copy. Weights the graph rearranges (transposed, concatenated, cast from float16 or
 * bfloat16) are rearranged by graph nodes that ONNX Runtime folds once when it optimizes the graph;
 * only int8 quantization is computed in Java. The optimized graph is then cached with its weights in a
 * file beside it, so later loads read neither the checkpoint's pickle nor build anything.
 */
package dev.sentence4j.graph;
