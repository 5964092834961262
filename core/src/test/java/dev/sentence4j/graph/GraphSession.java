package dev.sentence4j.graph;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX Runtime session on any graph, fed whichever of input_ids, attention_mask and token_type_ids
 * it declares and read at its only output: the graph tests compare a built graph with the fixture's
 * own export through it, whatever the output's rank.
 */
final class GraphSession implements AutoCloseable {
    /** The environment as sentence4j makes it: the first call fixes ONNX Runtime's log level for the whole JVM. */
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "sentence4j");
    private final OrtSession session;
    private final List<OnnxTensor> weights;

    private GraphSession(OrtSession session, List<OnnxTensor> weights) {
        this.session = session;
        this.weights = weights;
    }

    static GraphSession of(Path onnxFile) throws OrtException {
        try (SessionOptions options = options()) {
            return new GraphSession(ENV.createSession(onnxFile.toString(), options), List.of());
        }
    }

    static GraphSession of(BuiltGraph graph) throws OrtException {
        List<OnnxTensor> weights = new ArrayList<>();
        Map<String, OnnxTensorLike> external = new LinkedHashMap<>();
        for (BuiltGraph.Weight weight : graph.weights()) {
            ByteBuffer data = weight.data();
            if (!data.isDirect()) {
                data = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder()).put(data.duplicate()).flip();
            }
            OnnxTensor tensor = OnnxTensor.createTensor(ENV, data, weight.shape(), weight.type());
            weights.add(tensor);
            external.put(weight.name(), tensor);
        }
        try (SessionOptions options = options()) {
            options.addExternalInitializers(external);
            return new GraphSession(ENV.createSession(graph.model(), options), weights);
        }
    }

    private static SessionOptions options() throws OrtException {
        SessionOptions options = new SessionOptions();
        options.setIntraOpNumThreads(1);
        return options;
    }

    /** The output's values and shape for a batch. */
    Output run(Batch batch) throws OrtException {
        return run(batch.ids(), batch.mask(), batch.types());
    }

    /** The output's values and shape for a batch given column by column. */
    Output run(long[][] ids, long[][] mask, long[][] types) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (String name : session.getInputNames()) {
                long[][] column = switch (name) {
                    case "input_ids" -> ids;
                    case "attention_mask" -> mask;
                    case "token_type_ids" -> types;
                    default -> throw new IllegalStateException("unexpected input " + name);
                };
                feed.put(name, OnnxTensor.createTensor(ENV, column));
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (outputs.size() != 1) {
                throw new IllegalStateException("expected one output, got " + outputs.keySet());
            }
            try (OrtSession.Result result = session.run(feed)) {
                OnnxTensor tensor = (OnnxTensor) result.get(0);
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return new Output(result.iterator().next().getKey(), tensor.getInfo().getShape(), values);
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    record Output(String name, long[] shape, float[] values) {}

    /** Token ids padded on the right into a batch, all of segment 0. */
    record Batch(long[][] ids, long[][] mask, long[][] types) {
        static Batch of(List<long[]> texts) {
            int length = texts.stream().mapToInt(t -> t.length).max().orElse(0);
            long[][] ids = new long[texts.size()][length];
            long[][] mask = new long[texts.size()][length];
            for (int b = 0; b < texts.size(); b++) {
                System.arraycopy(texts.get(b), 0, ids[b], 0, texts.get(b).length);
                Arrays.fill(mask[b], 0, texts.get(b).length, 1);
            }
            return new Batch(ids, mask, new long[texts.size()][length]);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        weights.forEach(OnnxTensor::close);
    }
}
