package dev.sentence4j.transformer;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sentence4j.graph.onnx.OnnxProto.ModelProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto;
import dev.sentence4j.graph.onnx.OnnxProto.TensorProto.DataType;
import dev.sentence4j.weights.FloatEncoding;
import dev.sentence4j.weights.StoredTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What is checked of an ONNX file before ONNX Runtime reads it: that it is an ONNX model at all (an
 * empty or cut file is named as such, rather than by ONNX Runtime's parser error), and that its float
 * weights (the initializers stored in it) hold no NaN or infinity, which would make every vector NaN.
 * The file is read through a memory mapping that the weights' bytes are views of, so checking costs a
 * pass over the bytes and no copy. Weights in external data files, and files of 2 GiB or more, are left
 * to ONNX Runtime.
 */
final class OnnxFileCheck {
    private OnnxFileCheck() {}

    /**
     * @throws IllegalArgumentException naming the file, and the tensor when a weight is not finite
     */
    static void check(Path file, String source) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new IllegalArgumentException(source + " is empty (0 bytes), not an ONNX model; download or export it again");
            }
            if (size >= Integer.MAX_VALUE) {
                return;
            }
            check(channel.map(FileChannel.MapMode.READ_ONLY, 0, size), source);
        } catch (IOException e) {
            // Reading it is ONNX Runtime's to try, and to fail on by name.
        }
    }

    /** As {@link #check(Path, String)}, for a graph held in memory. */
    static void check(byte[] onnx, String source) {
        check(ByteBuffer.wrap(onnx), source);
    }

    private static void check(ByteBuffer bytes, String source) {
        ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(source + " is not an ONNX model: its " + bytes.remaining()
                    + " bytes cannot be read as one (a cut or damaged download, or another kind of file)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " cannot be read: " + e.getMessage(), e);
        }
        if (!model.hasGraph()) {
            throw new IllegalArgumentException(source + " is not an ONNX model: it holds no graph");
        }
        for (TensorProto tensor : model.getGraph().getInitializerList()) {
            requireFinite(tensor, source);
        }
    }

    private static void requireFinite(TensorProto tensor, String source) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return;
        }
        String where = source + ": weight '" + tensor.getName() + "'";
        FloatEncoding encoding = switch (tensor.getDataType()) {
            case DataType.FLOAT_VALUE -> FloatEncoding.F32;
            case DataType.FLOAT16_VALUE -> FloatEncoding.F16;
            case DataType.BFLOAT16_VALUE -> FloatEncoding.BF16;
            case DataType.DOUBLE_VALUE -> FloatEncoding.F64;
            default -> null;
        };
        if (encoding == null) {
            return;
        }
        long[] shape = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        ByteString raw = tensor.getRawData();
        ByteBuffer data;
        if (!raw.isEmpty()) {
            data = raw.asReadOnlyByteBuffer();
        } else if (encoding == FloatEncoding.F64) {
            data = ByteBuffer.allocate(tensor.getDoubleDataCount() * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            tensor.getDoubleDataList().forEach(data::putDouble);
            data.flip();
        } else if (encoding == FloatEncoding.F32) {
            data = ByteBuffer.allocate(tensor.getFloatDataCount() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            tensor.getFloatDataList().forEach(data::putFloat);
            data.flip();
        } else {
            return;
        }
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        // A size that does not fit the shape is ONNX Runtime's to refuse.
        if (data.remaining() == count * encoding.width()) {
            new StoredTensor(shape, encoding, data).requireFinite(where);
        }
    }
}
