package dev.sentence4j.cli;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j encode}: every line of a text file into a vector, all written to one file. */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Encodes a text file, one vector per line, into .npy or .jsonl.",
        description = {
            "Encodes each line of a UTF-8 text file into a sentence vector and writes them, in order, to "
                    + "FILE.npy (a NumPy float32 matrix, one row per line) or FILE.jsonl "
                    + "(one {\"index\":i,\"embedding\":[...]} per line).",
            "The output appears only once complete; an existing file is replaced only by a successful run."
        })
final class EncodeCommand implements Callable<Integer> {
    /** Texts encoded between two writes: keeps memory bounded however long the input, and paces progress. */
    private static final int CHUNK_SIZE = 1024;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The texts, one per line.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write: .npy or .jsonl.")
    Path output;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_SIZE,
            description = "Texts per transformer run. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--normalize", negatable = true,
            description = "Scale the vectors to unit length, or not. Default: as the model says.")
    Boolean normalize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        // Everything that can be checked fails here, before the slow model load.
        VectorFormat format = VectorFormat.of(output);
        PendingFile.checkDestination(output);
        List<String> texts = TextFile.readLines(input);
        try (SentenceTransformer model = modelOptions.load()) {
            long start = System.nanoTime();
            write(model, texts, format);
            spec.commandLine().getErr().println(String.format(Locale.ROOT, "wrote %d vectors of dim %d to %s in %.1f s",
                    texts.size(), model.dimension(), output, (System.nanoTime() - start) / 1e9));
        }
        return 0;
    }

    private void write(SentenceTransformer model, List<String> texts, VectorFormat format) {
        EncodeOptions options = EncodeOptions.defaults().withBatchSize(batchSize);
        if (normalize != null) {
            options = options.withNormalize(normalize);
        }
        PrintWriter err = spec.commandLine().getErr();
        try (PendingFile pending = PendingFile.beside(output);
                Progress progress = new Progress(err, texts.size(), progressStyle(texts.size()), System::nanoTime)) {
            try (VectorWriter writer = format.open(pending.path(), texts.size(), model.dimension())) {
                for (int start = 0; start < texts.size(); start += CHUNK_SIZE) {
                    List<String> chunk = texts.subList(start, Math.min(texts.size(), start + CHUNK_SIZE));
                    for (float[] vector : model.encode(chunk, options)) {
                        writer.write(vector);
                    }
                    progress.update(start + chunk.size());
                }
            }
            pending.commit();
        } catch (IOException e) {
            throw CliException.io("write", output, e);
        }
    }

    private static Progress.Style progressStyle(int texts) {
        if (System.console() != null) {
            return Progress.Style.BAR;
        }
        return texts > CHUNK_SIZE ? Progress.Style.LINES : Progress.Style.SILENT;
    }
}
