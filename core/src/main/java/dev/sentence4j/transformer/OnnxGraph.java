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
import dev.sentence4j.graph.BuiltGraph;
import dev.sentence4j.graph.GraphRecipe;
import dev.sentence4j.module.TokenEmbeddings;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A transformer encoder in an ONNX graph, run by ONNX Runtime on the CPU: an ONNX file, or a graph
 * built from a checkpoint whose weights are handed over from outside the Java heap. The graph is fed
 * only the inputs it declares, and the output read is found by name ({@code last_hidden_state},
 * {@code token_embeddings}) or as its only float output of the expected rank: 3 for one vector per
 * token, 2 for one row of scores per text (a classification head's logits). Thread-safe.
 */
final class OnnxGraph implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OnnxGraph.class.getName());
    private static final List<String> KNOWN_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids", "position_ids");
    private static final List<String> OUTPUT_NAMES = List.of("last_hidden_state", "token_embeddings");

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String source;
    private final Map<String, OnnxJavaType> inputs;
    /**
     * A text-generation export's key/value cache ({@code past_key_values.N.key/value}), by input: fed
     * empty, {@code [batch, heads, 0, head size]}, so the graph reads the whole input as one first step.
     */
    private final Map<String, TensorInfo> cache;
    private final String output;
    private final int rank;
    private final Set<String> outputs;
    /** The external weights of a built graph: ONNX Runtime reads them where they lie, so they live as long as the session. */
    private final List<OnnxTensor> weights;

    private OnnxGraph(OrtEnvironment environment, OrtSession session, String source, String preferredOutput, int rank,
            List<OnnxTensor> weights) throws OrtException {
        this.environment = environment;
        this.session = session;
        this.source = source;
        this.weights = weights;
        // Only a causal LM's logits are read from a graph with a cache; an embedding model's export must not have one.
        this.cache = preferredOutput.equals("logits") && rank == 3 ? cache(session, source) : Map.of();
        this.inputs = inputs(session, source, cache.keySet());
        this.rank = rank;
        this.output = output(session, source, preferredOutput, rank);
        this.outputs = Set.of(output);
    }

    /**
     * Loads an ONNX file; with a cache folder, the graph optimized on an earlier load is reused.
     *
     * @param output the output to read when the graph has it
     * @param rank the rank that output has: 3 for {@code [batch, tokens, hidden]}, 2 for {@code [batch, scores]}
     * @throws IllegalArgumentException naming the file if it cannot be loaded, holds a weight that is not
     *     finite, or its inputs and outputs do not fit a sentence-transformers encoder
     */
    static OnnxGraph load(Path onnxFile, String output, int rank, RuntimeOptions runtime) {
        return load(onnxFile, output, rank, runtime, runtime.cache() == null ? null : new GraphCache(runtime.cache().resolve("graphs")));
    }

    /** As {@link #load(Path, String, int, RuntimeOptions)}, with the cache given ({@code null} for none). */
    static OnnxGraph load(Path onnxFile, String output, int rank, RuntimeOptions runtime, GraphCache cache) {
        String source = onnxFile.toAbsolutePath().toString();
        if (cache == null) {
            OnnxFileCheck.check(onnxFile, source);
            return open(source, output, rank, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(source, options));
        }
        NativeLibraries.prepare(runtime.cache());
        GraphCache.Pending pending;
        try {
            Path entry = cache.entry(onnxFile);
            if (cache.usable(entry)) {
                // Already optimized: optimizing again would only cost time.
                return open(source, output, rank, runtime, OptLevel.NO_OPT, (env, options) -> env.createSession(entry.toString(), options));
            }
            pending = cache.begin(entry);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "graph cache unusable for " + source + ": " + e.getMessage());
            pending = null;
        }
        OnnxFileCheck.check(onnxFile, source);
        if (pending == null) {
            return open(source, output, rank, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(source, options));
        }
        return openCaching(cache, pending, source, sizeOf(List.of(onnxFile)), change ->
                open(source, output, rank, runtime, OptLevel.ALL_OPT, (env, options) -> {
                    change.apply(options);
                    return env.createSession(source, options);
                }));
    }

    /** Loads an ONNX graph held in memory; {@code source} names it in error messages. */
    static OnnxGraph load(byte[] onnx, String source, String output, int rank, RuntimeOptions runtime) {
        if (runtime.cache() != null) {
            NativeLibraries.prepare(runtime.cache());
        }
        OnnxFileCheck.check(onnx, source);
        return open(source, output, rank, runtime, OptLevel.ALL_OPT, (env, options) -> env.createSession(onnx, options));
    }

    /**
     * Loads a graph built from a checkpoint; with a cache folder, the graph built and optimized on an
     * earlier load from the same files and key is loaded instead, without building.
     *
     * @param output the output to read when the graph has it
     * @param rank the rank that output has: 3 for {@code [batch, tokens, hidden]}, 2 for {@code [batch, scores]}
     * @throws IllegalArgumentException naming the source if the graph cannot be built or loaded
     */
    static OnnxGraph load(GraphRecipe recipe, String output, int rank, RuntimeOptions runtime) {
        return load(recipe, output, rank, runtime, runtime.cache() == null ? null : new GraphCache(runtime.cache().resolve("graphs")));
    }

    /** As {@link #load(GraphRecipe, String, int, RuntimeOptions)}, with the cache given ({@code null} for none). */
    static OnnxGraph load(GraphRecipe recipe, String output, int rank, RuntimeOptions runtime, GraphCache cache) {
        if (cache == null) {
            return open(recipe.source(), output, rank, runtime, OptLevel.ALL_OPT, recipe.build().get(), options -> { });
        }
        NativeLibraries.prepare(runtime.cache());
        GraphCache.Pending pending;
        try {
            StringBuilder key = new StringBuilder(recipe.key());
            for (Path file : recipe.files()) {
                key.append('|').append(file.getFileName()).append('|').append(GraphCache.fingerprint(file));
            }
            Path entry = cache.entry(key.toString());
            if (cache.usable(entry)) {
                return open(recipe.source() + " (its graph as built and optimized on an earlier load: " + entry + ")", output,
                        rank, runtime, OptLevel.NO_OPT, (env, options) -> env.createSession(entry.toString(), options));
            }
            pending = cache.begin(entry);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "graph cache unusable for " + recipe.source() + ": " + e.getMessage());
            return open(recipe.source(), output, rank, runtime, OptLevel.ALL_OPT, recipe.build().get(), options -> { });
        }
        BuiltGraph built = recipe.build().get();
        return openCaching(cache, pending, recipe.source(), sizeOf(recipe.files()), change ->
                open(recipe.source(), output, rank, runtime, OptLevel.ALL_OPT, built, change));
    }

    /**
     * Opens a graph while ONNX Runtime writes its optimized form into the cache, then publishes it. When
     * the cache cannot be written (a full disk, above all), what was written is removed, the graph is
     * opened again without writing, from memory, and a warning says why: the next load optimizes again.
     * A graph that fails to open either way fails with the second attempt's error, the model's own.
     *
     * @param needed about how many bytes an entry takes, to tell a full disk
     */
    private static OnnxGraph openCaching(GraphCache cache, GraphCache.Pending pending, String source, long needed,
            Function<OptionsChange, OnnxGraph> opener) {
        OnnxGraph graph;
        try {
            graph = opener.apply(options -> {
                options.setOptimizedModelFilePath(pending.graph().toString());
                // The weights go to a file beside the graph: a graph holding them would hit protobuf's 2 GiB
                // limit for models of half a billion parameters. A graph with no weights outside leaves no file.
                options.addConfigEntry("session.optimized_model_external_initializers_file_name", pending.data().getFileName().toString());
                options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
            });
        } catch (IllegalArgumentException writing) {
            cache.discard(pending);
            graph = opener.apply(options -> { });
            warnNotCached(cache.whyNotWritten(writing.getMessage(), needed), source);
            return graph;
        }
        try {
            cache.publish(pending);
        } catch (IOException e) {
            warnNotCached(cache.whyNotWritten(e.getMessage(), needed), source);
        }
        return graph;
    }

    private static void warnNotCached(String why, String source) {
        LOG.log(System.Logger.Level.WARNING, "the optimized graph of " + source + " is not cached: " + why
                + "; it runs from memory, and the next load optimizes it again");
    }

    private static long sizeOf(List<Path> files) {
        long size = 0;
        for (Path file : files) {
            try {
                size += Files.size(file);
            } catch (IOException e) {
                // Only the full-disk message's estimate suffers.
            }
        }
        return size;
    }

    private interface OptionsChange {
        void apply(SessionOptions options) throws OrtException;
    }

    /** Opens a built graph, its weights handed to ONNX Runtime as external initializers. */
    private static OnnxGraph open(String source, String output, int rank, RuntimeOptions runtime, OptLevel level,
            BuiltGraph graph, OptionsChange change) {
        List<OnnxTensor> weights = new ArrayList<>();
        Map<String, OnnxTensorLike> external = new LinkedHashMap<>();
        try {
            for (BuiltGraph.Weight weight : graph.weights()) {
                OnnxTensor tensor = OnnxTensor.createTensor(environment(), nativeBuffer(weight.data()), weight.shape(),
                        weight.type());
                weights.add(tensor);
                external.put(weight.name(), tensor);
            }
        } catch (OrtException e) {
            weights.forEach(OnnxTensor::close);
            throw new IllegalArgumentException("ONNX Runtime cannot take the weights of " + source + ": " + e.getMessage(), e);
        }
        return open(source, output, rank, runtime, level, weights, (env, options) -> {
            change.apply(options);
            options.addExternalInitializers(external);
            return env.createSession(graph.model(), options);
        });
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

    /**
     * ONNX Runtime's one environment, made quiet: its own log lines, colour-coded on stderr, would reach
     * the user past sentence4j's messages, so only fatal ones are logged. Every use goes through here, as
     * the first call fixes the level.
     */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "sentence4j");
    }

    private static OnnxGraph open(String source, String output, int rank, RuntimeOptions runtime, OptLevel level,
            SessionFactory factory) {
        return open(source, output, rank, runtime, level, List.of(), factory);
    }

    /** Opens a session on a load thread ({@link LoadThread}); {@code weights} are closed with it, or at once if it fails. */
    private static OnnxGraph open(String source, String output, int rank, RuntimeOptions runtime, OptLevel level,
            List<OnnxTensor> weights, SessionFactory factory) {
        return LoadThread.run(() -> openHere(source, output, rank, runtime, level, weights, factory));
    }

    private static OnnxGraph openHere(String source, String output, int rank, RuntimeOptions runtime, OptLevel level,
            List<OnnxTensor> weights, SessionFactory factory) {
        OrtEnvironment env = environment();
        OrtSession session = null;
        try (SessionOptions options = new SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(runtime.effectiveThreads());
            options.setInterOpNumThreads(1);
            if (!runtime.prepack()) {
                options.addConfigEntry("session.disable_prepacking", "1");
            }
            // Failures come back as exceptions with the same text; on stderr they would only repeat it, raw.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = factory.create(env, options);
            return new OnnxGraph(env, session, source, output, rank, weights);
        } catch (OrtException e) {
            closeQuietly(session);
            weights.forEach(OnnxTensor::close);
            throw new IllegalArgumentException("ONNX Runtime cannot load " + source + ": " + plain(e), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            weights.forEach(OnnxTensor::close);
            throw e;
        }
    }

    /**
     * ONNX Runtime's message without what only its developers read: the error code's prefix, and the C++
     * source file, line and function it came from ({@code model.cc:177 onnxruntime::Model::Model(...)}).
     */
    static String plain(OrtException e) {
        String message = String.valueOf(e.getMessage());
        message = message.replaceFirst("^Error code - ORT_[A-Z_]+ - message: ", "");
        message = message.replaceAll("\\S*\\.(?:cc|cpp|h):\\d+ (?:[\\w:~<>]+\\(.*?\\)(?: const)? )?", "");
        return message.strip();
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

    private static Map<String, OnnxJavaType> inputs(OrtSession session, String source, Set<String> cache) throws OrtException {
        Map<String, OnnxJavaType> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
            String name = input.getKey();
            if (cache.contains(name)) {
                continue;
            }
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

    /**
     * The key/value cache inputs of a text-generation export (optimum's {@code text-generation-with-past}):
     * float {@code [batch, key/value heads, past tokens, head size]}, the heads and head size fixed.
     */
    private static Map<String, TensorInfo> cache(OrtSession session, String source) throws OrtException {
        Map<String, TensorInfo> cache = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
            if (!input.getKey().startsWith("past_key_values.")) {
                continue;
            }
            if (!(input.getValue().getInfo() instanceof TensorInfo t) || t.getShape().length != 4 || t.getShape()[1] < 0
                    || t.getShape()[3] < 0 || (t.type != OnnxJavaType.FLOAT && t.type != OnnxJavaType.FLOAT16)) {
                throw new IllegalArgumentException(source + ": graph input '" + input.getKey() + "' should be a key/value cache, "
                        + "float [batch, heads, past tokens, head size] with the heads and head size fixed, is "
                        + input.getValue().getInfo());
            }
            cache.put(input.getKey(), t);
        }
        return cache;
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

    private static String output(OrtSession session, String source, String preferred, int rank) throws OrtException {
        Map<String, NodeInfo> all = session.getOutputInfo();
        for (String name : Stream.concat(Stream.of(preferred), OUTPUT_NAMES.stream()).toList()) {
            if (all.containsKey(name)) {
                requireRank(source, name, all.get(name), rank);
                return name;
            }
        }
        List<String> candidates = all.entrySet().stream()
                .filter(e -> e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == rank
                        && t.type == OnnxJavaType.FLOAT)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
        if (candidates.size() != 1) {
            throw new IllegalArgumentException(source + ": cannot tell which output holds the " + what(rank) + ": "
                    + (candidates.isEmpty() ? "no float output of rank " + rank : "several of rank " + rank + " " + candidates)
                    + " among " + describe(all));
        }
        return candidates.get(0);
    }

    private static void requireRank(String source, String name, NodeInfo info, int rank) {
        if (!(info.getInfo() instanceof TensorInfo t) || t.getShape().length != rank || t.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(source + ": output '" + name + "' should be float " + what(rank) + " "
                    + shapeName(rank, "hidden") + ", is " + info.getInfo());
        }
    }

    private static String what(int rank) {
        return rank == 3 ? "token embeddings" : "scores";
    }

    private static String shapeName(int rank, String last) {
        return rank == 3 ? "[batch, tokens, " + last + "]" : "[batch, " + last + "]";
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

    /** The size of the output's last dimension as the graph declares it, or -1 when its shape leaves it open. */
    int hiddenSize() {
        try {
            TensorInfo info = (TensorInfo) session.getOutputInfo().get(output).getInfo();
            return (int) info.getShape()[rank - 1];
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
        requireRank(3);
        return run(batch, (values, width) ->
                new TokenEmbeddings(values, batch.attentionMask(), batch.batchSize(), batch.sequenceLength(), width));
    }

    /**
     * Runs a graph that gives one row of scores per text on a batch: {@code [batch][scores]}.
     *
     * @throws IllegalStateException if ONNX Runtime fails or returns a shape that is not {@code [batch, scores]}
     */
    float[][] scores(BatchEncoding batch) {
        requireRank(2);
        return run(batch, (values, width) -> {
            float[][] rows = new float[batch.batchSize()][];
            for (int row = 0; row < rows.length; row++) {
                rows[row] = Arrays.copyOfRange(values, row * width, (row + 1) * width);
            }
            return rows;
        });
    }

    private void requireRank(int expected) {
        if (rank != expected) {
            throw new IllegalStateException(source + ": output '" + output + "' is " + shapeName(rank, "...")
                    + ", not " + shapeName(expected, "..."));
        }
    }

    private interface OutputReader<T> {
        /** The output's values, row-major, and the size of its last dimension. */
        T read(float[] values, int width);
    }

    private <T> T run(BatchEncoding batch, OutputReader<T> reader) {
        long[] shape = {batch.batchSize(), batch.sequenceLength()};
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, OnnxJavaType> input : inputs.entrySet()) {
                feed.put(input.getKey(), tensor(columnFor(input.getKey(), batch), input.getValue(), shape));
            }
            for (Map.Entry<String, TensorInfo> past : cache.entrySet()) {
                long[] dims = past.getValue().getShape();
                feed.put(past.getKey(), OnnxTensor.createTensor(environment, ByteBuffer.allocateDirect(0),
                        new long[] {batch.batchSize(), dims[1], 0, dims[3]}, past.getValue().type));
            }
            try (OrtSession.Result result = session.run(feed, outputs)) {
                OnnxValue value = result.get(output).orElseThrow();
                OnnxTensor tensor = (OnnxTensor) value;
                long[] outShape = tensor.getInfo().getShape();
                boolean tokens = rank == 3;
                if (outShape.length != rank || outShape[0] != shape[0] || (tokens && outShape[1] != shape[1])) {
                    throw new IllegalStateException(source + ": output '" + output + "' has shape "
                            + Arrays.toString(outShape) + ", expected "
                            + (tokens ? "[" + shape[0] + ", " + shape[1] + ", hidden]" : "[" + shape[0] + ", scores]"));
                }
                float[] values = values(tensor);
                int width = (int) outShape[rank - 1];
                requireFinite(values, width, tokens ? batch : null);
                return reader.read(values, width);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + source + ": " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Refuses an output holding NaN or infinity, which would leave as a vector or score of NaN: with
     * finite weights, a computation that overflowed. For token embeddings only the real tokens count;
     * padding's rows are never read.
     *
     * @param batch the batch, to tell real tokens from padding; {@code null} for one row of scores per text
     */
    private void requireFinite(float[] values, int width, BatchEncoding batch) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                int row = i / width;
                if (batch == null || batch.attentionMask()[row] != 0) {
                    throw new NonFiniteOutputException(source, output, values[i],
                            batch == null ? row : row / batch.sequenceLength(), batch == null ? -1 : row % batch.sequenceLength());
                }
            }
        }
    }

    /**
     * The output's values in a Java array. ONNX Runtime hands them over as a copy in a heap buffer; its
     * array is used as it is, since a masked-LM head's logits ({@code [batch, tokens, vocabulary]}) are
     * too large to copy twice.
     */
    private static float[] values(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
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
        } finally {
            weights.forEach(OnnxTensor::close);
        }
    }
}
