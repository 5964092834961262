package dev.sentence4j.cli;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.EncodeResult;
import dev.sentence4j.LongInputs;
import dev.sentence4j.MultiVectorEncodeOptions;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.SparseEncodeOptions;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import dev.sentence4j.TextTooLongException;
import dev.sentence4j.io.Npy;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.quantize.Precision;
import dev.sentence4j.quantize.Quantizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j encode}: every line of a text file into a vector, all written to one file. */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Encodes a file of texts, one vector per text, into .npy or .jsonl.",
        description = {
            "Encodes each text of a UTF-8 file (each line of a text file, a field of each JSON line, or a column of each "
                    + "CSV row) into a sentence vector and writes them, in order, to "
                    + "FILE.npy (a NumPy matrix, one row per line) or FILE.jsonl "
                    + "(one {\"index\":i,\"embedding\":[...]} per line).",
            "A sparse (SPLADE) model's vectors go to FILE.jsonl as their non-zero entries, "
                    + "{\"index\":i,\"indices\":[...],\"values\":[...]} per line.",
            "A multi-vector (ColBERT) model gives each text one vector per token, encoded as --role says: to FILE.jsonl "
                    + "as {\"index\":i,\"tokens\":n,\"embeddings\":[[...],...]} per line, or to FILE.npy (every text's "
                    + "token vectors one after another, [total tokens, dim] float32) with FILE.offsets.npy ([texts + 1] "
                    + "int64: text i is rows offsets[i] to offsets[i+1]).",
            "The output appears only once complete; an existing file is replaced only by a successful run."
        })
final class EncodeCommand implements Callable<Integer> {
    /** An input this large shows progress even with few texts: one long text chunked into windows takes a while. */
    private static final long LONG_INPUT_BYTES = 100_000;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The texts: one per line, or .jsonl (see --field) or .csv (see --column).")
    Path input;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write: .npy or .jsonl.")
    Path output;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_SIZE,
            description = "Texts per transformer run. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--normalize", negatable = true,
            description = "Scale the vectors to unit length (after --truncate-dim), or not. Default: as the model says.")
    Boolean normalize;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Text prepended to every input, such as 'query: '.")
    String prompt;

    @Option(names = "--prompt-name", paramLabel = "NAME",
            description = "One of the model's prompts (config_sentence_transformers.json), by name. "
                    + "Default: the model's default prompt, if any.")
    String promptName;

    @Option(names = "--task", paramLabel = "NAME",
            description = "query or document (or another route's name): the route a model with a Router takes, and, "
                    + "unless --prompt or --prompt-name is given, the prompt encode_query / encode_document pick. "
                    + "Default: the model's default route and prompt.")
    String task;

    @Option(names = "--truncate-dim", paramLabel = "N", defaultValue = "0",
            description = "Keep only the first N dimensions of each vector (Matryoshka models).")
    int truncateDim;

    @Option(names = "--precision", paramLabel = "NAME", defaultValue = "float32", converter = PrecisionConverter.class,
            description = "float32, int8, uint8, binary or ubinary (bits packed 8 to a byte). Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--calibration", paramLabel = "FILE.npy",
            description = "float32 vectors whose per-dimension ranges scale int8/uint8 output. "
                    + "Default: the ranges of the input's own vectors.")
    Path calibration;

    @Option(names = "--long-input", paramLabel = "POLICY", defaultValue = "truncate", converter = LongInputsConverter.class,
            description = "What to do with a text longer than the model takes: truncate (keep the first tokens), "
                    + "error (stop, naming the line), or chunk (average overlapping windows). Default: ${DEFAULT-VALUE}.")
    LongInputs longInputs;

    @Option(names = "--chunk-stride", paramLabel = "N", defaultValue = "" + EncodeOptions.DEFAULT_CHUNK_STRIDE,
            description = "With --long-input chunk: tokens shared by consecutive windows. Default: ${DEFAULT-VALUE}.")
    int chunkStride;

    @Option(names = "--max-active-dims", paramLabel = "N",
            description = "For a sparse (SPLADE) model: keep only the N largest entries of each vector. Default: every "
                    + "non-zero entry.")
    Integer maxActiveDims;

    @Option(names = "--role", paramLabel = "ROLE",
            description = "For a multi-vector (ColBERT) model: encode the texts as 'query' (query prompt, expanded to the "
                    + "query length) or 'document' (document prompt, length and skiplist). Default: document.")
    String role;

    @Option(names = "--token-counts", paramLabel = "FILE",
            description = "Also write, per input line, its token count and whether it was truncated, as tab-separated "
                    + "'line<TAB>tokens<TAB>truncated' rows after a header.")
    Path tokenCounts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EncodeOptions options = encodeOptions();
        // Everything that can be checked fails here, before the slow model load.
        VectorFormat format = VectorFormat.of(output);
        PendingFile.checkDestination(output);
        PendingFile.checkDistinct(output, input, "the input");
        PendingFile.checkDistinct(output, calibration, "the calibration file");
        if (tokenCounts != null) {
            PendingFile.checkDestination(tokenCounts);
            PendingFile.checkDistinct(tokenCounts, input, "the input");
            PendingFile.checkDistinct(tokenCounts, calibration, "the calibration file");
            PendingFile.checkDistinct(tokenCounts, output, "the output");
        }
        float[][] calibrationVectors = calibrationVectors();
        // Read through once, holding nothing: a bad line fails now, and the .npy header needs the count.
        int count = inputOptions.count(input);
        ModelFamily family = modelOptions.family();
        if (family == ModelFamily.MULTI_VECTOR_ENCODER) {
            writeTokenVectors(count, format, multiVectorOptions(format));
            return 0;
        }
        if (role != null) {
            throw new ParameterException(spec.commandLine(), "--role applies to multi-vector (ColBERT) models; "
                    + modelOptions.model + " is a " + family.modelType());
        }
        if (family == ModelFamily.SPARSE_ENCODER) {
            writeSparse(count, sparseOptions(format));
            return 0;
        }
        if (family != ModelFamily.SENTENCE_TRANSFORMER) {
            throw modelOptions.wrongFamily(family, "encode needs a SentenceTransformer, a SparseEncoder (SPLADE) or a "
                    + "MultiVectorEncoder (ColBERT); rerank runs a CrossEncoder");
        }
        if (maxActiveDims != null) {
            throw new ParameterException(spec.commandLine(), "--max-active-dims applies to sparse models; "
                    + modelOptions.model + " gives dense vectors");
        }
        try (SentenceTransformer model = modelOptions.load()) {
            if (task != null) {
                options = model.forTask(task, options);
            }
            long start = System.nanoTime();
            int dimension = options.truncateDim() > 0 ? options.truncateDim() : model.dimension();
            int width = precision == Precision.BINARY || precision == Precision.UBINARY ? (dimension + 7) / 8 : dimension;
            write(model, count, format, options, width, calibrationVectors);
            spec.commandLine().getErr().println(String.format(Locale.ROOT, "wrote %d vectors of dim %d (%s) to %s in %.1f s",
                    count, width, precision.label(), output, (System.nanoTime() - start) / 1e9));
        }
        return 0;
    }

    private EncodeOptions encodeOptions() {
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        if (prompt != null && promptName != null) {
            throw new ParameterException(spec.commandLine(), "give --prompt or --prompt-name, not both");
        }
        if (truncateDim < 0) {
            throw new ParameterException(spec.commandLine(), "--truncate-dim must be positive, got " + truncateDim);
        }
        if (chunkStride < 0) {
            throw new ParameterException(spec.commandLine(), "--chunk-stride must not be negative, got " + chunkStride);
        }
        if (calibration != null && precision != Precision.INT8 && precision != Precision.UINT8) {
            throw new ParameterException(spec.commandLine(), "--calibration scales int8 or uint8 output, not " + precision.label());
        }
        EncodeOptions options = EncodeOptions.defaults().withBatchSize(batchSize).withTruncateDim(truncateDim)
                .withLongInputs(longInputs).withChunkStride(chunkStride);
        if (normalize != null) {
            options = options.withNormalize(normalize);
        }
        if (prompt != null) {
            options = options.withPrompt(prompt);
        }
        return promptName != null ? options.withPromptName(promptName) : options;
    }

    /**
     * The options of a sparse encode, refusing those that only make sense for dense vectors. A dense
     * .npy is refused too: it would hold one value per vocabulary entry (30,522 for BERT), nearly all zero.
     */
    private SparseEncodeOptions sparseOptions(VectorFormat format) {
        String sparse = "; " + modelOptions.model + " is a SparseEncoder, whose vectors are sparse";
        if (format != VectorFormat.JSONL) {
            throw new CliException("cannot write " + output + ": a sparse model's vectors are written to .jsonl as "
                    + "their non-zero entries ({\"index\",\"indices\",\"values\"}); a .npy would hold one value per "
                    + "vocabulary entry, nearly all zero");
        }
        boolean chunkStrideGiven = spec.commandLine().getParseResult().hasMatchedOption("--chunk-stride");
        List<String> dense = new ArrayList<>();
        if (normalize != null) {
            dense.add("--[no-]normalize");
        }
        if (truncateDim != 0) {
            dense.add("--truncate-dim");
        }
        if (precision != Precision.FLOAT32) {
            dense.add("--precision");
        }
        if (calibration != null) {
            dense.add("--calibration");
        }
        if (tokenCounts != null) {
            dense.add("--token-counts");
        }
        if (longInputs == LongInputs.CHUNK || chunkStrideGiven) {
            dense.add("--long-input chunk");
        }
        if (!dense.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join(", ", dense) + " applies to dense vectors" + sparse);
        }
        if (maxActiveDims != null && maxActiveDims < 1) {
            throw new ParameterException(spec.commandLine(), "--max-active-dims must be at least 1, got " + maxActiveDims);
        }
        SparseEncodeOptions options = SparseEncodeOptions.defaults().withBatchSize(batchSize).withLongInputs(longInputs)
                .withMaxActiveDims(maxActiveDims == null ? 0 : maxActiveDims);
        if (prompt != null) {
            options = options.withPrompt(prompt);
        }
        return promptName != null ? options.withPromptName(promptName) : options;
    }

    /**
     * The role a multi-vector model encodes as: {@code --role}, else {@code --task}, which picks it as it
     * picks the other families' route (ignoring it would silently encode documents); {@code null} for the default.
     */
    private String multiVectorRole() {
        return role != null ? role : task;
    }

    /** The options of a multi-vector encode, refusing those that apply to one vector per text. */
    private MultiVectorEncodeOptions multiVectorOptions(VectorFormat format) {
        String option = role != null ? "--role" : "--task";
        String chosen = multiVectorRole();
        if (chosen != null && !List.of("query", "document").contains(chosen)) {
            throw new ParameterException(spec.commandLine(), option + " must be 'query' or 'document', got '" + chosen + "'");
        }
        if (role != null && task != null && !role.equals(task)) {
            throw new ParameterException(spec.commandLine(), "--role '" + role + "' and --task '" + task + "' disagree; give one");
        }
        List<String> single = new ArrayList<>();
        if (Boolean.FALSE.equals(normalize)) {
            single.add("--no-normalize");
        }
        if (truncateDim != 0) {
            single.add("--truncate-dim");
        }
        if (precision != Precision.FLOAT32) {
            single.add("--precision");
        }
        if (calibration != null) {
            single.add("--calibration");
        }
        if (tokenCounts != null) {
            single.add("--token-counts");
        }
        if (maxActiveDims != null) {
            single.add("--max-active-dims");
        }
        if (longInputs == LongInputs.CHUNK || spec.commandLine().getParseResult().hasMatchedOption("--chunk-stride")) {
            single.add("--long-input chunk");
        }
        if (!single.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join(", ", single) + " does not apply to "
                    + modelOptions.model + ", a multi-vector model whose texts give one float32 vector per token");
        }
        if (format == VectorFormat.NPY) {
            Path offsets = TokenVectorOutput.offsetsFile(output);
            PendingFile.checkDestination(offsets);
            PendingFile.checkDistinct(offsets, input, "the input");
        }
        MultiVectorEncodeOptions options = MultiVectorEncodeOptions.defaults().withBatchSize(batchSize)
                .withLongInputs(longInputs).withNormalize(Boolean.TRUE.equals(normalize))
                .withTask("query".equals(chosen) ? TextRole.QUERY.label() : TextRole.DOCUMENT.label());
        if (prompt != null) {
            options = options.withPrompt(prompt);
        }
        return promptName != null ? options.withPromptName(promptName) : options;
    }

    /** Encodes the input a chunk at a time as it is read, each text's token vectors written as they come. */
    private void writeTokenVectors(int count, VectorFormat format, MultiVectorEncodeOptions options) {
        PrintWriter err = spec.commandLine().getErr();
        TextRole textRole = "query".equals(multiVectorRole()) ? TextRole.QUERY : TextRole.DOCUMENT;
        Path offsets = TokenVectorOutput.offsetsFile(output);
        try (MultiVectorEncoder model = modelOptions.load(MultiVectorEncoder::load);
                TextFile texts = inputOptions.open(input);
                PendingFile pending = PendingFile.beside(output);
                PendingFile pendingOffsets = format == VectorFormat.NPY ? PendingFile.beside(offsets) : null;
                Progress progress = new Progress(err, count, Progress.styleFor(count, InChunks.SIZE), System::nanoTime)) {
            long start = System.nanoTime();
            long tokens = 0;
            try (TokenVectorOutput writer = format == VectorFormat.NPY
                    ? TokenVectorOutput.npy(pending.path(), pendingOffsets.path(), model.dimension())
                    : TokenVectorOutput.jsonLines(pending.path())) {
                int done = 0;
                for (List<InputText> chunk = nextChunk(texts, done, count); !chunk.isEmpty();
                        chunk = nextChunk(texts, done, count)) {
                    List<InputText> encoding = chunk;
                    for (float[][] block : encode(() -> model.encode(texts(encoding), options), chunk)) {
                        writer.write(block);
                        tokens += block.length;
                    }
                    done += chunk.size();
                    progress.update(done);
                }
            }
            if (pendingOffsets != null) {
                pendingOffsets.commit();
            }
            pending.commit();
            err.println(String.format(Locale.ROOT, "wrote %d token vectors of dim %d for %d %s (%.1f each on average) to "
                    + "%s%s in %.1f s", tokens, model.dimension(), count, textRole == TextRole.QUERY ? "queries" : "documents", count == 0 ? 0.0 : (double) tokens / count,
                    output, format == VectorFormat.NPY ? " and " + offsets : "", (System.nanoTime() - start) / 1e9));
        } catch (IOException e) {
            throw CliException.io("write", output, e);
        }
    }

    /** Encodes the input a chunk at a time as it is read, as {@link #write} does, into sparse JSON lines. */
    private void writeSparse(int count, SparseEncodeOptions given) {
        PrintWriter err = spec.commandLine().getErr();
        try (SparseEncoder model = modelOptions.load(SparseEncoder::load);
                TextFile texts = inputOptions.open(input);
                PendingFile pending = PendingFile.beside(output);
                Progress progress = new Progress(err, count, Progress.styleFor(count, InChunks.SIZE), System::nanoTime)) {
            SparseEncodeOptions options = task == null ? given : model.forTask(task, given);
            long start = System.nanoTime();
            int done = 0;
            long entries = 0;
            try (JsonLinesWriter writer = JsonLinesWriter.open(pending.path(), false)) {
                for (List<InputText> chunk = nextChunk(texts, done, count); !chunk.isEmpty();
                        chunk = nextChunk(texts, done, count)) {
                    List<InputText> encoding = chunk;
                    for (SparseVector vector : encode(() -> model.encode(texts(encoding), options), chunk)) {
                        writer.write(vector);
                        entries += vector.size();
                    }
                    done += chunk.size();
                    progress.update(done);
                }
            }
            pending.commit();
            err.println(String.format(Locale.ROOT, "wrote %d sparse vectors of dim %d (%.1f non-zero entries each on "
                    + "average) to %s in %.1f s", count, model.dimension(), count == 0 ? 0.0 : (double) entries / count,
                    output, (System.nanoTime() - start) / 1e9));
        } catch (IOException e) {
            throw CliException.io("write", output, e);
        }
    }

    private float[][] calibrationVectors() {
        if (calibration == null) {
            return null;
        }
        try {
            return Npy.read(calibration);
        } catch (IOException e) {
            throw CliException.io("read calibration vectors from", calibration, e);
        }
    }

    /** Encodes the input a chunk at a time as it is read, so memory holds one chunk however long the input. */
    private void write(SentenceTransformer model, int count, VectorFormat format, EncodeOptions options, int width,
            float[][] calibrationVectors) {
        PrintWriter err = spec.commandLine().getErr();
        // int8/uint8 without calibration scale by the ranges of all vectors, known only at the end.
        boolean quantizeAtEnd = calibrationVectors == null && (precision == Precision.INT8 || precision == Precision.UINT8);
        List<float[]> held = new ArrayList<>();
        try (TextFile texts = inputOptions.open(input);
                PendingFile pending = PendingFile.beside(output);
                PendingFile counts = tokenCounts == null ? null : PendingFile.beside(tokenCounts);
                Progress progress = new Progress(err, count, Progress.styleFor(count > InChunks.SIZE || isLong(input)),
                        System::nanoTime)) {
            try (VectorWriter writer = format.open(pending.path(), count, width, precision);
                    BufferedWriter countWriter = counts == null ? null
                            : Files.newBufferedWriter(counts.path(), StandardCharsets.UTF_8)) {
                if (countWriter != null) {
                    countWriter.write("line\ttokens\ttruncated\n");
                }
                int done = 0;
                for (List<InputText> chunk = nextChunk(texts, done, count); !chunk.isEmpty();
                        chunk = nextChunk(texts, done, count)) {
                    int before = done;
                    int size = chunk.size();
                    // Within a chunk too: a long text chunked into windows reports each group of them.
                    EncodeResult result = encode(model, chunk, options.withProgress(
                            (encoded, total) -> progress.update(before + size * encoded / Math.max(1, total))));
                    if (quantizeAtEnd) {
                        held.addAll(List.of(result.vectors()));
                    } else {
                        writeVectors(writer, result.vectors(), calibrationVectors);
                    }
                    if (countWriter != null) {
                        for (int i = 0; i < chunk.size(); i++) {
                            countWriter.write(chunk.get(i).line() + "\t" + result.tokenCounts()[i] + "\t"
                                    + result.truncated()[i] + "\n");
                        }
                    }
                    done += chunk.size();
                    progress.update(done);
                }
                if (quantizeAtEnd) {
                    writeVectors(writer, held.toArray(float[][]::new), null);
                }
            }
            if (counts != null) {
                counts.commit();
            }
            pending.commit();
        } catch (IOException e) {
            throw CliException.io("write", output, e);
        }
    }

    private static boolean isLong(Path file) {
        try {
            return Files.size(file) > LONG_INPUT_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next chunk of the input's texts, empty at its end. */
    private List<InputText> nextChunk(TextFile texts, int done, int count) {
        List<InputText> chunk = new ArrayList<>(InChunks.SIZE);
        for (InputText text = texts.next(); text != null; text = chunk.size() < InChunks.SIZE ? texts.next() : null) {
            chunk.add(text);
        }
        if (done + chunk.size() > count) {
            throw new CliException(input + " changed while it was being read");
        }
        return chunk;
    }

    private EncodeResult encode(SentenceTransformer model, List<InputText> chunk, EncodeOptions options) {
        return encode(() -> model.encodeWithDetails(texts(chunk), options), chunk);
    }

    private static List<String> texts(List<InputText> chunk) {
        return chunk.stream().map(InputText::text).toList();
    }

    /** Runs one chunk's encoding, reporting a too long text by its line of the input. */
    private <T> T encode(Supplier<T> encoding, List<InputText> chunk) {
        try {
            return encoding.get();
        } catch (TextTooLongException e) {
            throw new CliException(input + ", line " + chunk.get(e.index()).line() + ": " + e.tokenCount()
                    + " tokens, more than the " + e.maxSeqLength() + " the model takes (--long-input error)");
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    private void writeVectors(VectorWriter writer, float[][] vectors, float[][] calibrationVectors) throws IOException {
        if (precision == Precision.FLOAT32) {
            for (float[] vector : vectors) {
                writer.write(vector);
            }
            return;
        }
        for (byte[] vector : Quantizer.quantize(vectors, precision, calibrationVectors)) {
            writer.write(vector);
        }
    }
}
