package dev.sentence4j.transformer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A transformer encoder in an ONNX graph, run by ONNX Runtime on the CPU. The graph is fed only the
 * inputs it declares, and its token embeddings output is found by name ({@code last_hidden_state},
 * {@code token_embeddings}) or as its only rank-3 output. Thread-safe.
 */
final class OnnxGraph implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OnnxGraph.class.getName());
    private static final List<String> KNOWN_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids", "position_ids");
    private static final List<String> OUTPUT_NAMES = List.of("last_hidden_state", "token_embeddings");

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String source;
    private final Map<String, OnnxJavaType> inputs;
    private final String output;
    private final Set<String> outputs;

    private OnnxGraph(OrtEnvironment environment, OrtSession session, String source, String preferredOutput)
            throws OrtException {
        this.environment = environment;
        this.session = session;
        this.source = source;
        this.inputs = inputs(session, source);
        this.output = output(session, source, preferredOutput);
        this.outputs = Set.of(output);
    }

    /**
     * Loads an ONNX file; with a cache folder, the graph optimized on an earlier load is reused.
     *
     * @param output the output to read as token embeddings when the graph has it
     * @throws IllegalArgumentException naming the file if it cannot be loaded or its inputs and
     *     outputs do not fit a sentence-transformers encoder
     */
    static OnnxGraph load(Path onnxFile, String output, RuntimeOptions runtime) {
        String source = onnxFile.toAbsolutePath().toString();
        if (runtime.cache() == null) {
            return open(source, output, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(source, options));
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
                return open(source, output, runtime, OptLevel.NO_OPT, (env, options) -> env.createSession(entry.toString(), options));
            }
            temporary = cache.temporary(entry);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "graph cache unusable for " + source + ": " + e.getMessage());
            return open(source, output, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(source, options));
        }
        OnnxGraph graph = open(source, output, runtime, OptLevel.ALL_OPT, (env, options) -> {
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
        return graph;
    }

    /** Loads an ONNX graph held in memory; {@code source} names it in error messages. */
    static OnnxGraph load(byte[] onnx, String source, String output, RuntimeOptions runtime) {
        if (runtime.cache() != null) {
            NativeLibraries.prepare(runtime.cache());
        }
        return open(source, output, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(onnx, options));
    }

    private interface SessionFactory {
        OrtSession create(OrtEnvironment env, SessionOptions options) throws OrtException;
    }

    /**
     * ONNX Runtime's one environment, made quiet: its own log lines, colour-coded on stderr, would reach
     * the user past sentence4j's messages, so only fatal ones are logged. Every use goes through here, as
     * the first call fixes the level.
     */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "sentence4j");
    }

    /**
     * ONNX Runtime recurses deeply while it starts: creating its environment took some 12,000 native
     * frames, more than the 1 MiB stack of a Spring Boot application's main thread, and the JVM died
     * with no error. Environments and sessions are made on a thread of their own with room to spare;
     * untouched stack costs no memory.
     */
    private static final long LOAD_STACK_BYTES = 64L << 20;

    private static OnnxGraph open(String source, String output, RuntimeOptions runtime, OptLevel level, SessionFactory factory) {
        FutureTask<OnnxGraph> task = new FutureTask<>(() -> openHere(source, output, runtime, level, factory));
        new Thread(null, task, "sentence4j-load", LOAD_STACK_BYTES).start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // Wait on: abandoning the load would leak the session it makes.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static OnnxGraph openHere(String source, String output, RuntimeOptions runtime, OptLevel level,
            SessionFactory factory) {
        OrtEnvironment env = environment();
        OrtSession session = null;
        try (SessionOptions options = new SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(runtime.effectiveThreads());
            options.setInterOpNumThreads(1);
            // Failures come back as exceptions with the same text; on stderr they would only repeat it, raw.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = factory.create(env, options);
            return new OnnxGraph(env, session, source, output);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new IllegalArgumentException("ONNX Runtime cannot load " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
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
                throw new IllegalArgumentException(source + ": graph input '" + name + "' is not one sentence4j can feed"
                        + whyNot(name) + " (it feeds " + String.join(", ", KNOWN_INPUTS) + ")");
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

    /** Why an input cannot be fed, for the inputs that exports commonly add. */
    private static String whyNot(String input) {
        if (input.startsWith("past_key_values") || input.startsWith("present") || input.equals("use_cache_branch")
                || input.equals("cache_position")) {
            return ": it is the key/value cache of a text-generation export; export the model for feature extraction"
                    + " (optimum-cli export onnx --task feature-extraction) to embed with it";
        }
        return "";
    }

    private static String output(OrtSession session, String source, String preferred) throws OrtException {
        Map<String, NodeInfo> all = session.getOutputInfo();
        for (String name : Stream.concat(Stream.of(preferred), OUTPUT_NAMES.stream()).toList()) {
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
    List<String> inputNames() {
        return List.copyOf(inputs.keySet());
    }

    /** The name of the output read as token embeddings. */
    String outputName() {
        return output;
    }

    /** The hidden size the graph declares, or -1 when its output shape leaves it open. */
    int hiddenSize() {
        try {
            TensorInfo info = (TensorInfo) session.getOutputInfo().get(output).getInfo();
            return (int) info.getShape()[2];
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the graph came from. */
    String source() {
        return source;
    }

    /**
     * Runs the graph on a batch.
     *
     * @throws IllegalStateException if ONNX Runtime fails or returns a shape that is not
     *     {@code [batch, tokens, hidden]}
     */
    TokenEmbeddings run(BatchEncoding batch) {
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
            case "position_ids":
                return batch.positionIds();
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
        }
    }
}
