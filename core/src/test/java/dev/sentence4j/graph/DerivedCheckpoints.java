package dev.sentence4j.graph;

import dev.sentence4j.Shared;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.NodeProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Real checkpoints for tests and benchmarks, derived from the built-in models' ONNX exports (the Maven
 * artifacts): a model folder with the model's Hub configuration files, its {@code tokenizer.json} and a
 * {@code model.safetensors} of its weights under their Hugging Face names. Biases and LayerNorm weights
 * are named in the export; each Linear weight is an unnamed {@code onnx::MatMul_N} initializer
 * {@code [in, out]}, named here after the bias added to its product and transposed back to torch's
 * {@code [out, in]}. Written at test time, never committed.
 */
public final class DerivedCheckpoints {
    private DerivedCheckpoints() {}

    /**
     * Writes the model folder of a built-in model ({@code sentence-transformers/all-MiniLM-L6-v2},
     * {@code BAAI/bge-small-en-v1.5}) under {@code parent} and returns it.
     */
    public static Path write(String modelId, Path parent) {
        try {
            ModelFiles builtin = ModelFiles.resolve(modelId);
            Path folder = Files.createDirectories(parent.resolve(Shared.shortName(modelId)));
            Path configs = Shared.path("models/" + Shared.shortName(modelId));
            try (Stream<Path> files = Files.walk(configs)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = folder.resolve(configs.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (InputStream tokenizer = builtin.open("tokenizer.json")) {
                Files.copy(tokenizer, folder.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            ModelProto export = ModelProto.parseFrom(builtin.readAllBytes("onnx/model.onnx"));
            SafeTensors.write(folder.resolve("model.safetensors"), tensors(export));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The export's float weights by Hugging Face name. */
    static Map<String, SafeTensors.Tensor> tensors(ModelProto export) {
        Map<String, TensorProto> initializers = new HashMap<>();
        export.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        Map<String, SafeTensors.Tensor> tensors = new TreeMap<>();
        initializers.forEach((name, tensor) -> {
            if (!name.startsWith("onnx::") && tensor.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                tensors.put(name, new SafeTensors.Tensor(dims(tensor), floats(tensor)));
            }
        });
        List<NodeProto> nodes = export.getGraph().getNodeList();
        for (NodeProto matMul : nodes) {
            if (!matMul.getOpType().equals("MatMul") || !matMul.getInput(1).startsWith("onnx::MatMul")) {
                continue;
            }
            String bias = nodes.stream()
                    .filter(n -> n.getOpType().equals("Add") && n.getInputList().contains(matMul.getOutput(0)))
                    .flatMap(n -> n.getInputList().stream())
                    .filter(input -> input.endsWith(".bias") && initializers.containsKey(input))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no named bias is added to " + matMul.getOutput(0)));
            TensorProto weight = initializers.get(matMul.getInput(1));
            long[] shape = dims(weight);
            tensors.put(bias.substring(0, bias.length() - ".bias".length()) + ".weight",
                    new SafeTensors.Tensor(new long[] {shape[1], shape[0]}, transpose(floats(weight), (int) shape[0], (int) shape[1])));
        }
        return tensors;
    }

    private static long[] dims(TensorProto tensor) {
        return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(TensorProto tensor) {
        if (tensor.getFloatDataCount() > 0) {
            float[] values = new float[tensor.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
            return values;
        }
        ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[raw.remaining() / Float.BYTES];
        raw.asFloatBuffer().get(values);
        return values;
    }

    private static float[] transpose(float[] matrix, int rows, int columns) {
        float[] transposed = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = matrix[r * columns + c];
            }
        }
        return transposed;
    }
}
