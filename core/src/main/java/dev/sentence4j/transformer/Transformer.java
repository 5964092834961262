package dev.sentence4j.transformer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.sentence4j.tokenize.BatchEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A transformer encoder in an ONNX graph, run by ONNX Runtime on the CPU. The graph is fed only the
 * inputs it declares, and its token embeddings output is found by name ({@code last_hidden_state},
 * {@code token_embeddings}) or as its only rank-3 output. Thread-safe.
 */
public final class Transformer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Transformer.class.getName());
    private static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");
    private static final List<String> OUTPUT_NAMES = List.of("last_hidden_state", "token_embeddings");

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String source;
    private final Map<String, OnnxJavaType> inputs;
    private final String output;
    private final Set<String> outputs;
    /** The external weights of a built graph: ONNX Runtime reads them where they lie, so they live as long as the session. */
    private final List<OnnxTensor> weights;

    private Transformer(OrtEnvironment environment, OrtSession session, String source, List<OnnxTensor> weights)
            throws OrtException {
        this.environment = environment;
        this.session = session;
        this.source = source;
        this.weights = weights;
        this.inputs = inputs(session, source);
        this.output = output(session, source);
        this.outputs = Set.of(output);
    }

    /**
     * Loads an ONNX file with the default runtime options.
     *
     * @throws IllegalArgumentException naming the file if it cannot be loaded or its inputs and
     *     outputs do not fit a sentence-transformers encoder
     */
    public static Transformer load(Path onnxFile) {
        return load(onnxFile, RuntimeOptions.defaults());
    }

    /**
     * Loads an ONNX file; with a cache folder, the graph optimized on an earlier load is reused.
     *
     * @throws IllegalArgumentException naming the file if it cannot be loaded or its inputs and
     *     outputs do not fit a sentence-transformers encoder
     */
    public static Transformer load(Path onnxFile, RuntimeOptions runtime) {
        String source = onnxFile.toAbsolutePath().toString();
        if (runtime.cache() == null) {
            return open(source, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(source, options));
        }
        NativeLibraries.prepare(runtime.cache());
        Path entry;
        Path temporary;
        GraphCache cache = new GraphCache(runtime.cache().resolve("graphs"));
        try {
            entry = cache.entry(onnxFile);
            if (Files.isRegularFile(entry)) {
                // Already optimized: optimizing again would only cost time.
                GraphCache.touch(entry);
                return open(source, runtime, OptLevel.NO_OPT, (env, options) -> env.createSession(entry.toString(), options));
            }
            temporary = cache.temporary(entry);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "graph cache unusable for " + source + ": " + e.getMessage());
            return open(source, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(source, options));
        }
        Transformer transformer = open(source, runtime, OptLevel.ALL_OPT, (env, options) -> {
            options.setOptimizedModelFilePath(temporary.toString());
            return env.createSession(source, options);
        });
        try {
            cache.publish(temporary, entry);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot cache the optimized graph of " + source + ": " + e.getMessage());
        } finally {
            deleteQuietly(temporary);
        }
        return transformer;
    }

    /** Loads an ONNX graph held in memory; {@code source} names it in error messages. */
    public static Transformer load(byte[] onnx, String source, RuntimeOptions runtime) {
        if (runtime.cache() != null) {
            NativeLibraries.prepare(runtime.cache());
        }
        return open(source, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(onnx, options));
    }

    /**
     * Loads a graph built in memory (from a checkpoint); with a cache folder, the graph built and
     * optimized on an earlier load from the same files and key is loaded instead, without building.
     *
     * @throws IllegalArgumentException naming the source if the graph cannot be built or loaded
     */
    public static Transformer load(GraphRecipe recipe, RuntimeOptions runtime) {
        if (runtime.cache() == null) {
            return open(recipe.source(), runtime, OptLevel.ALL_OPT, recipe.build().get(), options -> { });
        }
        NativeLibraries.prepare(runtime.cache());
        GraphCache cache = new GraphCache(runtime.cache().resolve("graphs"));
        Path entry;
        Path temporary;
        try {
            StringBuilder key = new StringBuilder(recipe.key());
            for (Path file : recipe.files()) {
                key.append('|').append(file.getFileName()).append('|').append(GraphCache.fingerprint(file));
            }
            entry = cache.entry(key.toString());
            if (Files.isRegularFile(entry)) {
                GraphCache.touch(entry);
                return open(recipe.source() + " (its graph as built and optimized on an earlier load: " + entry + ")", runtime,
                        OptLevel.NO_OPT, (env, options) -> env.createSession(entry.toString(), options));
            }
            temporary = cache.temporary(entry);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "graph cache unusable for " + recipe.source() + ": " + e.getMessage());
            return open(recipe.source(), runtime, OptLevel.ALL_OPT, recipe.build().get(), options -> { });
        }
        Path data = temporary.resolveSibling(GraphCache.dataFileName(temporary));
        boolean published = false;
        try {
            // The weights go to a file beside the graph: a graph holding them would hit protobuf's 2 GiB
            // limit for models of half a billion parameters.
            Transformer transformer = open(recipe.source(), runtime, OptLevel.ALL_OPT, recipe.build().get(), options -> {
                options.setOptimizedModelFilePath(temporary.toString());
                options.addConfigEntry("session.optimized_model_external_initializers_file_name", data.getFileName().toString());
                options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
            });
            try {
                cache.publish(temporary, entry);
                published = true;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot cache the graph built from " + recipe.source() + ": " + e.getMessage());
            }
            return transformer;
        } finally {
            deleteQuietly(temporary);
            if (!published) {
                deleteQuietly(data);
            }
        }
    }

    private interface OptionsChange {
        void apply(SessionOptions options) throws OrtException;
    }

    private static Transformer open(String source, RuntimeOptions runtime, OptLevel level, BuiltGraph graph, OptionsChange change) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> weights = new ArrayList<>();
        try {
            Map<String, OnnxTensorLike> external = new LinkedHashMap<>();
            for (BuiltGraph.Weight weight : graph.weights()) {
                OnnxTensor tensor = OnnxTensor.createTensor(env, nativeBuffer(weight.data()), weight.shape(), weight.type());
                weights.add(tensor);
                external.put(weight.name(), tensor);
            }
            return open(source, runtime, level, weights, (e, options) -> {
                change.apply(options);
                options.addExternalInitializers(external);
                return e.createSession(graph.model(), options);
            });
        } catch (OrtException e) {
            weights.forEach(OnnxTensor::close);
            throw new IllegalArgumentException("ONNX Runtime cannot take the weights of " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The buffer itself when ONNX Runtime can use it in place (direct, native order, aligned to its
     * element); else a copy in native memory.
     */
    private static ByteBuffer nativeBuffer(ByteBuffer data) {
        if (data.isDirect() && data.order() == ByteOrder.nativeOrder() && data.alignmentOffset(0, Long.BYTES) == 0) {
            return data;
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
        copy.put(data.duplicate());
        return copy.flip();
    }

    private interface SessionFactory {
        OrtSession create(OrtEnvironment env, SessionOptions options) throws OrtException;
    }

    private static Transformer open(String source, RuntimeOptions runtime, OptLevel level, SessionFactory factory) {
        return open(source, runtime, level, List.of(), factory);
    }

    private static Transformer open(String source, RuntimeOptions runtime, OptLevel level, List<OnnxTensor> weights,
            SessionFactory factory) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (SessionOptions options = new SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(runtime.effectiveThreads());
            options.setInterOpNumThreads(1);
            // ONNX Runtime warns on stderr that a saved optimized graph is hardware-specific; the cache key says so already.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            session = factory.create(env, options);
            return new Transformer(env, session, source, weights);
        } catch (OrtException e) {
            closeQuietly(session);
            weights.forEach(OnnxTensor::close);
            throw new IllegalArgumentException("ONNX Runtime cannot load " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            weights.forEach(OnnxTensor::close);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temporary file in the cache folder is harmless.
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // Already failing with a clearer error.
            }
        }
    }

    private static Map<String, OnnxJavaType> inputs(OrtSession session, String source) throws OrtException {
        Map<String, OnnxJavaType> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
            String name = input.getKey();
            OnnxJavaType type = input.getValue().getInfo() instanceof TensorInfo t ? t.type : null;
            if (!KNOWN_INPUTS.contains(name)) {
                throw new IllegalArgumentException(source + ": graph input '" + name
                        + "' is not one a text encoder takes (expected " + KNOWN_INPUTS + ")");
            }
            if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
                throw new IllegalArgumentException(source + ": graph input '" + name
                        + "' must be an int64 or int32 tensor, is " + input.getValue().getInfo());
            }
            inputs.put(name, type);
        }
        if (!inputs.containsKey("input_ids")) {
            throw new IllegalArgumentException(source + ": graph has no 'input_ids' input (inputs: " + inputs.keySet() + ")");
        }
        return inputs;
    }

    private static String output(OrtSession session, String source) throws OrtException {
        Map<String, NodeInfo> all = session.getOutputInfo();
        for (String name : OUTPUT_NAMES) {
            if (all.containsKey(name)) {
                requireTokenEmbeddings(source, name, all.get(name));
                return name;
            }
        }
        List<String> rank3 = all.entrySet().stream()
                .filter(e -> e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3
                        && t.type == OnnxJavaType.FLOAT)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
        if (rank3.size() != 1) {
            throw new IllegalArgumentException(source + ": cannot tell which output holds the token embeddings: "
                    + (rank3.isEmpty() ? "no float output of rank 3" : "several of rank 3 " + rank3)
                    + " among " + describe(all));
        }
        return rank3.get(0);
    }

    private static void requireTokenEmbeddings(String source, String name, NodeInfo info) {
        if (!(info.getInfo() instanceof TensorInfo t) || t.getShape().length != 3 || t.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(source + ": output '" + name
                    + "' should be float token embeddings [batch, tokens, hidden], is " + info.getInfo());
        }
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        return nodes.entrySet().stream()
                .map(e -> e.getKey() + (e.getValue().getInfo() instanceof TensorInfo t
                        ? Arrays.toString(t.getShape()) : ""))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The graph's inputs, in its order. */
    public List<String> inputNames() {
        return List.copyOf(inputs.keySet());
    }

    /** The name of the output read as token embeddings. */
    public String outputName() {
        return output;
    }

    /** The hidden size the graph declares, or -1 when its output shape leaves it open. */
    public int hiddenSize() {
        try {
            TensorInfo info = (TensorInfo) session.getOutputInfo().get(output).getInfo();
            return (int) info.getShape()[2];
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the graph came from. */
    public String source() {
        return source;
    }

    /**
     * Runs the graph on a batch.
     *
     * @throws IllegalStateException if ONNX Runtime fails or returns a shape that is not
     *     {@code [batch, tokens, hidden]}
     */
    public TokenEmbeddings run(BatchEncoding batch) {
        long[] shape = {batch.batchSize(), batch.sequenceLength()};
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, OnnxJavaType> input : inputs.entrySet()) {
                feed.put(input.getKey(), tensor(columnFor(input.getKey(), batch), input.getValue(), shape));
            }
            try (OrtSession.Result result = session.run(feed, outputs)) {
                OnnxValue value = result.get(output).orElseThrow();
                OnnxTensor tensor = (OnnxTensor) value;
                long[] outShape = tensor.getInfo().getShape();
                if (outShape.length != 3 || outShape[0] != shape[0] || outShape[1] != shape[1]) {
                    throw new IllegalStateException(source + ": output '" + output + "' has shape "
                            + Arrays.toString(outShape) + ", expected [" + shape[0] + ", " + shape[1] + ", hidden]");
                }
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return new TokenEmbeddings(values, batch.attentionMask(), batch.batchSize(), batch.sequenceLength(),
                        (int) outShape[2]);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + source + ": " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static long[] columnFor(String input, BatchEncoding batch) {
        switch (input) {
            case "input_ids":
                return batch.inputIds();
            case "attention_mask":
                return batch.attentionMask();
            default:
                return batch.tokenTypeIds();
        }
    }

    private OnnxTensor tensor(long[] values, OnnxJavaType type, long[] shape) throws OrtException {
        // Direct buffers in native order go to ONNX Runtime without another copy.
        if (type == OnnxJavaType.INT64) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder());
            bytes.asLongBuffer().put(values);
            return OnnxTensor.createTensor(environment, bytes.asLongBuffer(), shape);
        }
        ByteBuffer bytes = ByteBuffer.allocateDirect(values.length * Integer.BYTES).order(ByteOrder.nativeOrder());
        var ints = bytes.asIntBuffer();
        for (long v : values) {
            ints.put(Math.toIntExact(v));
        }
        return OnnxTensor.createTensor(environment, bytes.asIntBuffer(), shape);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session of " + source, e);
        } finally {
            weights.forEach(OnnxTensor::close);
        }
    }
}
