package dev.sentence4j.spark;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.io.Npy;
import dev.sentence4j.quantize.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * A Spark ML {@code Transformer} that adds each row's sentence vector: the vector {@code encode} gives
 * for the text in {@link #inputCol()}, in {@link #outputCol()}; a null text gives a null vector.
 * Rows keep their order and their other columns. Each executor loads the model once, shares it among
 * its tasks, and runs as many batches at once as it has task slots. Saved and loaded with ML pipelines.
 *
 * <pre>{@code
 * Dataset<Row> out = new SentenceEmbedder()
 *         .setModel("sentence-transformers/all-MiniLM-L6-v2")
 *         .setInputCol("text").setOutputCol("embedding")
 *         .transform(df);
 * }</pre>
 *
 * <p>The model is an id (built in, or from the Hugging Face cache or Hub on each executor) or a folder:
 * at the same path on every machine, or shipped with the job under its folder name
 * ({@code --archives model.zip#model}, {@code SparkContext.addFile(folder, true)}).
 */
public final class SentenceEmbedder extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final String DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    private static final List<String> OUTPUT_TYPES = List.of("array", "vector");

    private final String uid;
    private final Param<String> model;
    private final Param<String> revision;
    private final Param<String> onnxFile;
    private final BooleanParam quantized;
    private final IntParam threads;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> outputType;
    private final IntParam batchSize;
    private final BooleanParam normalize;
    private final Param<String> prompt;
    private final Param<String> promptName;
    private final IntParam truncateDim;
    private final Param<String> precision;
    private final Param<String> calibration;
    private final Param<String> longInputs;
    private final IntParam chunkStride;

    /** An embedder with the default model, reading {@code text} and writing {@code embedding}. */
    public SentenceEmbedder() {
        this(Identifiable$.MODULE$.randomUID("sentenceEmbedder"));
    }

    /** An embedder with the given uid, as ML pipelines create one when they load. */
    public SentenceEmbedder(String uid) {
        this.uid = uid;
        model = new Param<>(this, "model", "the model: an id (built in, Hugging Face cache or Hub) or a folder");
        revision = new Param<>(this, "revision", "for a Hub model, the branch, tag or commit to load (unset: main)");
        onnxFile = new Param<>(this, "onnxFile", "the ONNX file to run, as a path inside the model (unset: pick one)");
        quantized = new BooleanParam(this, "quantized", "pick the model's int8 ONNX export");
        threads = new IntParam(this, "threads", "batches each executor runs at once, one core each (0: its task slots)",
                ParamValidators.gtEq(0));
        inputCol = new Param<>(this, "inputCol", "the column of texts to encode (string)");
        outputCol = new Param<>(this, "outputCol", "the column to add, holding the vectors");
        outputType = new Param<>(this, "outputType", "array (array<float>) or vector (ML Vector; float32 only)",
                ParamValidators.inArray(OUTPUT_TYPES));
        batchSize = new IntParam(this, "batchSize", "texts per transformer run", ParamValidators.gtEq(1));
        normalize = new BooleanParam(this, "normalize", "scale vectors to unit length, or not (unset: as the model says)");
        prompt = new Param<>(this, "prompt", "text prepended to every input");
        promptName = new Param<>(this, "promptName", "one of the model's prompts, by name (unset: its default prompt)");
        truncateDim = new IntParam(this, "truncateDim", "keep only the first this many dimensions (0: all)",
                ParamValidators.gtEq(0));
        precision = new Param<>(this, "precision", "float32, int8, uint8, binary or ubinary",
                ParamValidators.inArray(Arrays.stream(Precision.values()).map(Precision::label).toList()));
        calibration = new Param<>(this, "calibration",
                "a .npy file of float32 vectors whose per-dimension ranges scale int8 and uint8 output");
        longInputs = new Param<>(this, "longInputs",
                "texts longer than the model takes: truncate, error (fail the task) or chunk (average windows)",
                ParamValidators.inArray(Arrays.stream(LongInputs.values()).map(SentenceEmbedder::label).toList()));
        chunkStride = new IntParam(this, "chunkStride", "with longInputs chunk, tokens shared by consecutive windows",
                ParamValidators.gtEq(0));
        setDefault(model, DEFAULT_MODEL);
        setDefault(quantized, false);
        setDefault(threads, 0);
        setDefault(inputCol, "text");
        setDefault(outputCol, "embedding");
        setDefault(outputType, "array");
        setDefault(batchSize, EncodeOptions.DEFAULT_BATCH_SIZE);
        setDefault(truncateDim, 0);
        setDefault(precision, Precision.FLOAT32.label());
        setDefault(longInputs, label(LongInputs.TRUNCATE));
        setDefault(chunkStride, EncodeOptions.DEFAULT_CHUNK_STRIDE);
    }

    /** Reads embedders that {@code write().save(path)} or a pipeline saved. */
    public static MLReader<SentenceEmbedder> read() {
        return new DefaultParamsReadable<SentenceEmbedder>() {}.read();
    }

    /** Loads an embedder that {@code save(path)} wrote. */
    public static SentenceEmbedder load(String path) {
        return read().load(path);
    }

    private static String label(LongInputs policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String uid() {
        return uid;
    }

    // The params, as Spark ML lists them; each has a getter and a setter below.

    public Param<String> model() {
        return model;
    }

    public Param<String> revision() {
        return revision;
    }

    public Param<String> onnxFile() {
        return onnxFile;
    }

    public BooleanParam quantized() {
        return quantized;
    }

    public IntParam threads() {
        return threads;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> outputType() {
        return outputType;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public BooleanParam normalize() {
        return normalize;
    }

    public Param<String> prompt() {
        return prompt;
    }

    public Param<String> promptName() {
        return promptName;
    }

    public IntParam truncateDim() {
        return truncateDim;
    }

    public Param<String> precision() {
        return precision;
    }

    public Param<String> calibration() {
        return calibration;
    }

    public Param<String> longInputs() {
        return longInputs;
    }

    public IntParam chunkStride() {
        return chunkStride;
    }

    public String getModel() {
        return getOrDefault(model);
    }

    public SentenceEmbedder setModel(String idOrFolder) {
        set(model, idOrFolder);
        return this;
    }

    public String getRevision() {
        return optional(revision);
    }

    public SentenceEmbedder setRevision(String branchTagOrCommit) {
        set(revision, branchTagOrCommit);
        return this;
    }

    public String getOnnxFile() {
        return optional(onnxFile);
    }

    public SentenceEmbedder setOnnxFile(String pathInModel) {
        set(onnxFile, pathInModel);
        return this;
    }

    public boolean getQuantized() {
        return (Boolean) getOrDefault(quantized);
    }

    public SentenceEmbedder setQuantized(boolean on) {
        set(quantized, on);
        return this;
    }

    public int getThreads() {
        return (Integer) getOrDefault(threads);
    }

    public SentenceEmbedder setThreads(int count) {
        set(threads, count);
        return this;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public SentenceEmbedder setInputCol(String column) {
        set(inputCol, column);
        return this;
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public SentenceEmbedder setOutputCol(String column) {
        set(outputCol, column);
        return this;
    }

    public String getOutputType() {
        return getOrDefault(outputType);
    }

    /** {@code "array"} for {@code array<float>} (the default), {@code "vector"} for an ML {@code Vector}. */
    public SentenceEmbedder setOutputType(String type) {
        set(outputType, type);
        return this;
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public SentenceEmbedder setBatchSize(int size) {
        set(batchSize, size);
        return this;
    }

    /** The normalization override, or {@code null} to follow the model's Normalize module. */
    public Boolean getNormalize() {
        return isDefined(normalize) ? (Boolean) getOrDefault(normalize) : null;
    }

    public SentenceEmbedder setNormalize(boolean on) {
        set(normalize, on);
        return this;
    }

    public String getPrompt() {
        return optional(prompt);
    }

    public SentenceEmbedder setPrompt(String text) {
        set(prompt, text);
        return this;
    }

    public String getPromptName() {
        return optional(promptName);
    }

    public SentenceEmbedder setPromptName(String name) {
        set(promptName, name);
        return this;
    }

    public int getTruncateDim() {
        return (Integer) getOrDefault(truncateDim);
    }

    public SentenceEmbedder setTruncateDim(int dimensions) {
        set(truncateDim, dimensions);
        return this;
    }

    public Precision getPrecision() {
        return Precision.fromName(getOrDefault(precision));
    }

    public SentenceEmbedder setPrecision(Precision value) {
        set(precision, value.label());
        return this;
    }

    public String getCalibration() {
        return optional(calibration);
    }

    /** A {@code .npy} file of float32 vectors, read on the driver, whose ranges scale int8 and uint8 output. */
    public SentenceEmbedder setCalibration(String npyFile) {
        set(calibration, npyFile);
        return this;
    }

    public LongInputs getLongInputs() {
        return LongInputs.valueOf(getOrDefault(longInputs).toUpperCase(Locale.ROOT));
    }

    public SentenceEmbedder setLongInputs(LongInputs policy) {
        set(longInputs, label(policy));
        return this;
    }

    public int getChunkStride() {
        return (Integer) getOrDefault(chunkStride);
    }

    public SentenceEmbedder setChunkStride(int tokens) {
        set(chunkStride, tokens);
        return this;
    }

    private String optional(Param<String> param) {
        return isDefined(param) ? getOrDefault(param) : null;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        EncodeSettings settings = settings();
        String input = getInputCol();
        if (!Arrays.asList(schema.fieldNames()).contains(input)) {
            throw new IllegalArgumentException("input column '" + input + "' is not in the data; its columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        StructField field = schema.apply(input);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("input column '" + input + "' holds " + field.dataType().simpleString()
                    + ", not text (string)");
        }
        String output = getOutputCol();
        if (Arrays.asList(schema.fieldNames()).contains(output)) {
            throw new IllegalArgumentException("output column '" + output + "' is already in the data; choose another name");
        }
        return schema.add(output, settings.column().dataType(), true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return transformCounting(dataset, null);
    }

    /** Transforms, counting the rows done in {@code progress} when it is not null. */
    Dataset<Row> transformCounting(Dataset<?> dataset, LongAccumulator progress) {
        StructType schema = transformSchema(dataset.schema(), true);
        int text = dataset.schema().fieldIndex(getInputCol());
        return dataset.toDF().mapPartitions(new PartitionEncoder(settings(), text, progress), Encoders.row(schema));
    }

    /** What a task needs to encode, checked here on the driver so that a bad setting fails before any task runs. */
    EncodeSettings settings() {
        if (getModel() == null || getModel().isBlank()) {
            throw new IllegalArgumentException("no model given: set an id or a folder");
        }
        if (getPrompt() != null && getPromptName() != null) {
            throw new IllegalArgumentException("set a prompt or a prompt name, not both");
        }
        Precision chosen = getPrecision();
        float[][] ranges = null;
        if (getCalibration() != null) {
            if (chosen != Precision.INT8 && chosen != Precision.UINT8) {
                throw new IllegalArgumentException("calibration vectors scale int8 or uint8 output, not " + chosen.label());
            }
            ranges = VectorColumn.ranges(calibrationVectors(getCalibration()));
        }
        VectorColumn column = new VectorColumn(chosen, getOutputType().equals("vector"), ranges);
        ModelSpec spec = new ModelSpec(getModel(), getRevision(), getOnnxFile(), getQuantized(), getThreads());
        return new EncodeSettings(spec, getBatchSize(), getNormalize(), getPrompt(), getPromptName(), getTruncateDim(),
                getLongInputs(), getChunkStride(), column);
    }

    private static float[][] calibrationVectors(String file) {
        try {
            return Npy.read(Path.of(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read calibration vectors from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SentenceEmbedder copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
