package dev.sentence4j.spark;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.files.SamePlace;
import dev.sentence4j.quantize.Precision;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A ready Spark job: reads texts (Parquet, CSV, JSON lines or plain text), adds each row's sentence
 * vector, and writes the rows, other columns kept, as Parquet or JSON lines.
 *
 * <pre>
 * spark-submit --class dev.sentence4j.spark.EncodeJob sentence4j-spark-VERSION-all.jar \
 *     --input docs.parquet --column text --output vectors.parquet --model ID
 * </pre>
 *
 * Run outside {@code spark-submit} (as {@code bin/sentence4j spark-encode} does), it starts a local
 * Spark on every core unless {@code --master} says otherwise.
 */
@Command(name = "spark-encode", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = EncodeJob.Version.class,
        header = "Adds a sentence vector to every row of a file, on Apache Spark.",
        description = {
            "Reads Parquet, CSV (with a header row), JSON lines or plain text (one text per line), encodes the "
                    + "text column in length-sorted batches, and writes every row with its other columns and the vector "
                    + "(array of floats; null for a null text) as Parquet or JSON lines, one part file per partition, "
                    + "rows in order.",
            "Outside spark-submit it runs on a local Spark using every core (--master to choose)."
        })
public final class EncodeJob implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "The rows to encode: a file or a folder of files, any path Spark reads.")
    String input;

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = "parquet, csv, jsonl or text. Default: from the input's name (.parquet, .csv, .jsonl/.json, .txt).")
    InputFormat inputFormat;

    @Option(names = "--column", paramLabel = "NAME", defaultValue = "text",
            description = "The column holding the texts (for text input, the name given to its lines). Default: ${DEFAULT-VALUE}.")
    String column;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The folder to write.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet or jsonl. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--output-column", paramLabel = "NAME", defaultValue = "embedding",
            description = "The column to add. Default: ${DEFAULT-VALUE}.")
    String outputColumn;

    @Option(names = "--overwrite", description = "Replace the output folder if it exists.")
    boolean overwrite;

    @Option(names = "--model", paramLabel = "ID|DIR", defaultValue = "sentence-transformers/all-MiniLM-L6-v2",
            description = "A model id (built in, Hugging Face cache or Hub on each executor) or a folder (a path every "
                    + "executor sees, or one shipped with the job under its name). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--revision", paramLabel = "R", description = "For a Hub model, the branch, tag or commit.")
    String revision;

    @Option(names = "--onnx-file", paramLabel = "PATH", description = "The ONNX file to run, as a path inside the model.")
    String onnxFile;

    @Option(names = "--quantized", description = "Run the model's int8 ONNX export.")
    boolean quantized;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Batches each executor runs at once, one core each. Default: its task slots.")
    int threads;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_SIZE,
            description = "Texts per transformer run. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--normalize", negatable = true,
            description = "Scale the vectors to unit length (after --truncate-dim), or not. Default: as the model says.")
    Boolean normalize;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Text prepended to every input, such as 'query: '.")
    String prompt;

    @Option(names = "--prompt-name", paramLabel = "NAME", description = "One of the model's prompts, by name.")
    String promptName;

    @Option(names = "--truncate-dim", paramLabel = "N", defaultValue = "0",
            description = "Keep only the first N dimensions of each vector (Matryoshka models).")
    int truncateDim;

    @Option(names = "--precision", paramLabel = "NAME", defaultValue = "float32",
            description = "float32, int8, uint8 (0 to 255), binary or ubinary (bits packed 8 to a byte). Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--calibration", paramLabel = "FILE.npy",
            description = "float32 vectors whose per-dimension ranges scale int8/uint8 output (required for them).")
    String calibration;

    @Option(names = "--long-input", paramLabel = "POLICY", defaultValue = "truncate",
            description = "A text longer than the model takes: truncate, error (fail, naming the partition and row) "
                    + "or chunk (average overlapping windows). Default: ${DEFAULT-VALUE}.")
    LongInputs longInputs;

    @Option(names = "--chunk-stride", paramLabel = "N", defaultValue = "" + EncodeOptions.DEFAULT_CHUNK_STRIDE,
            description = "With --long-input chunk: tokens shared by consecutive windows. Default: ${DEFAULT-VALUE}.")
    int chunkStride;

    @Option(names = "--master", paramLabel = "URL",
            description = "The Spark master, for a run outside spark-submit (which sets its own). Default: local[*].")
    String master;

    @Option(names = {"-v", "--verbose"}, description = "On failure, print the stack trace too.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** The session to run on, when the caller has one; else the job makes one and stops it at the end. */
    private final SparkSession given;

    EncodeJob(SparkSession given) {
        this.given = given;
    }

    public static void main(String[] args) {
        int status = run(args, null, new PrintWriter(System.err, true));
        // A successful job returns normally: under spark-submit in cluster mode an exit would be read as a failure.
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the job on a session, or on one it makes when {@code session} is null; messages go to
     * {@code err}. Returns the exit status: 0 done, 1 failed, 2 bad arguments.
     */
    static int run(String[] args, SparkSession session, PrintWriter err) {
        EncodeJob job = new EncodeJob(session);
        CommandLine line = new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true).setErr(err);
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> job.fail(e));
        line.setParameterExceptionHandler((e, arguments) -> job.usageError(e));
        return line.execute(args);
    }

    @Override
    public Integer call() {
        // Everything that can be checked is, before Spark starts.
        SentenceEmbedder embedder = embedder();
        InputFormat readAs = inputFormat != null ? inputFormat : InputFormat.of(input).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "cannot tell the format of " + input
                        + " from its name; give --input-format parquet, csv, jsonl or text"));
        requireOutputApartFromInput();
        SparkSession spark = given != null ? given : startSpark();
        try {
            requireNewOutput(spark);
            Dataset<Row> rows = readAs.read(spark, input, column);
            LongAccumulator done = spark.sparkContext().longAccumulator("sentence4j rows encoded");
            Dataset<Row> encoded = embedder.transformCounting(rows, done);
            PrintWriter err = spec.commandLine().getErr();
            double seconds;
            try (JobProgress progress = JobProgress.start(spark.sparkContext(), done, err)) {
                format.write(encoded, output, overwrite);
                seconds = progress.seconds();
            }
            err.println(String.format(Locale.ROOT, "sentence4j: wrote %,d rows to %s (%s) in %.1f s, %.0f rows/s",
                    done.value(), output, format.name().toLowerCase(Locale.ROOT), seconds, done.value() / seconds));
            err.flush();
            return 0;
        } finally {
            if (given == null) {
                spark.stop();
            }
        }
    }

    /** The embedder these options describe, checked: a bad option fails as a usage error. */
    private SentenceEmbedder embedder() {
        try {
            SentenceEmbedder embedder = new SentenceEmbedder().setModel(model).setInputCol(column).setOutputCol(outputColumn)
                    .setQuantized(quantized).setThreads(threads).setBatchSize(batchSize).setTruncateDim(truncateDim)
                    .setPrecision(precision).setLongInputs(longInputs).setChunkStride(chunkStride);
            if (revision != null) {
                embedder.setRevision(revision);
            }
            if (onnxFile != null) {
                embedder.setOnnxFile(onnxFile);
            }
            if (normalize != null) {
                embedder.setNormalize(normalize);
            }
            if (prompt != null) {
                embedder.setPrompt(prompt);
            }
            if (promptName != null) {
                embedder.setPromptName(promptName);
            }
            if (calibration != null) {
                embedder.setCalibration(calibration);
            }
            embedder.settings();
            return embedder;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private SparkSession startSpark() {
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName("sentence4j spark-encode")
                // Each executor closes its model when it stops; plugins the user named keep running.
                .config("spark.plugins", Sentence4jPlugin.addTo(conf.get("spark.plugins", null)));
        if (!conf.contains("spark.master")) {
            builder.master(master != null ? master : "local[*]")
                    // A local run reports its own progress; Spark's stage bar would interleave with it.
                    .config("spark.ui.showConsoleProgress", false)
                    .config("spark.ui.enabled", false);
        } else if (master != null) {
            builder.master(master);
        }
        return builder.getOrCreate();
    }

    /**
     * Refuses, before anything is deleted, an output that is the input or a folder holding it: replacing
     * the output (--overwrite) would delete the input before a row is read. Local paths are compared by
     * their real paths (symbolic and hard links, {@code ..}); paths of other file systems (hdfs://, s3a://)
     * as written, normalized.
     */
    private void requireOutputApartFromInput() {
        boolean inside;
        if (isLocal(input) && isLocal(output)) {
            try {
                inside = SamePlace.holds(localPath(output), localPath(input));
            } catch (IOException e) {
                // A path that cannot be examined is for Spark to report as it reads or writes it.
                return;
            }
        } else {
            String out = new org.apache.hadoop.fs.Path(output).toUri().normalize().toString().replaceAll("/+$", "");
            String in = new org.apache.hadoop.fs.Path(input).toUri().normalize().toString();
            inside = in.equals(out) || in.startsWith(out + "/");
        }
        if (inside) {
            throw new ParameterException(spec.commandLine(), "the output " + output + (sameName(input, output) ? " is" : " holds")
                    + " the input " + input + ", which writing the output " + (overwrite ? "(--overwrite) would delete" : "would replace")
                    + "; choose another output");
        }
    }

    private static boolean isLocal(String path) {
        return !path.contains("://") || path.startsWith("file:");
    }

    private static Path localPath(String path) {
        return Path.of(new org.apache.hadoop.fs.Path(path).toUri().getPath());
    }

    private static boolean sameName(String input, String output) {
        try {
            return isLocal(input) && isLocal(output) ? SamePlace.sameFile(localPath(input), localPath(output)) : input.equals(output);
        } catch (IOException e) {
            return false;
        }
    }

    private void requireNewOutput(SparkSession spark) {
        if (overwrite) {
            return;
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(output);
        try {
            FileSystem files = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (files.exists(path)) {
                throw new ParameterException(spec.commandLine(), output + " already exists; give --overwrite to replace it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + output + ": " + e.getMessage(), e);
        }
    }

    /** One line naming the mistake, and status 2. */
    private int usageError(ParameterException e) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("sentence4j: " + e.getMessage() + "; see 'sentence4j spark-encode --help'");
        err.flush();
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    /** One line naming what went wrong (the task's own message when a task failed), and status 1. */
    private int fail(Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sentence4j: " + reason(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /**
     * What went wrong: a task's own message when encoding failed, else the innermost cause's first line
     * (Spark wraps a task's failure in layers that say only that a stage failed).
     */
    private static String reason(Throwable e) {
        String message = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof EncodeFailure) {
                return cause.getMessage();
            }
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        return message == null ? e.toString() : message.strip().lines().findFirst().orElse(message);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EncodeJob.class.getPackage().getImplementationVersion();
            return new String[] {"sentence4j-spark " + (version != null ? version : "(development build)")};
        }
    }
}
