package dev.sentence4j.cli;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.io.Npy;
import dev.sentence4j.transformer.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --threads N} is how many transformer batches a command runs at once: its model's pool of worker
 * threads ({@code sentence4j-P-worker-W}), which starts a thread per batch until it has N, and none for
 * N = 1 (the one batch at a time runs on the caller's thread). Each command here encodes 12 texts, which
 * the model cuts into at least as many batches as it has workers; the threads it started are read from a
 * JFR recording of the run ({@link WorkerThreads}). ServeCommandTest has serve's.
 */
class ThreadsOptionTest {
    private static final String DENSE = "fixtures/st6/models/seed-bert-mean";
    private static final int TEXTS = 12;

    @TempDir
    static Path temp;

    private static Path texts;

    @BeforeAll
    static void writeTexts() throws IOException {
        List<String> lines = Files.readAllLines(Shared.path("fixtures/st6/public.txt")).subList(0, TEXTS);
        texts = Files.write(temp.resolve("texts.txt"), lines);
    }

    /** Each command that runs a model's batches, with the model and texts it takes. */
    static Stream<Arguments> commands() {
        return Stream.of(
                command("encode", dir -> List.of("encode", "--model", Shared.arg(DENSE), "--input", texts.toString(),
                        "--output", dir.resolve("dense.npy").toString())),
                command("encode (sparse)", dir -> List.of("encode", "--model", Shared.arg("fixtures/st6/models/splade-bert"),
                        "--input", texts.toString(), "--output", dir.resolve("sparse.jsonl").toString())),
                command("rerank", dir -> List.of("rerank", "--model", Shared.arg("fixtures/st6/models/cross-encoder-bert"),
                        "--query", "a man is eating food", "--input", texts.toString())),
                command("similarity", dir -> List.of("similarity", "--model", Shared.arg(DENSE), "--input", texts.toString())),
                command("search", dir -> List.of("search", "--model", Shared.arg(DENSE), "--corpus", texts.toString(),
                        "--query", "a man is eating food")),
                command("paraphrases", dir -> List.of("paraphrases", "--model", Shared.arg(DENSE), "--input", texts.toString())),
                command("index build", dir -> List.of("index", "build", "--model", Shared.arg(DENSE), "--corpus", texts.toString(),
                        "--index", dir.resolve("index").toString())));
    }

    private static Arguments command(String name, Function<Path, List<String>> arguments) {
        return Arguments.of(name, arguments);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void threadsIsHowManyWorkersRunTheBatches(String name, Function<Path, List<String>> arguments, @TempDir Path dir)
            throws IOException {
        List<String> args = new ArrayList<>(arguments.apply(dir));
        args.addAll(List.of("--threads", "3"));

        assertThat(workersStartedBy(args.toArray(String[]::new))).as("worker threads %s started", name).hasSize(3);
    }

    /**
     * The default is one worker per physical core, as {@code --threads} with their number gives; one worker
     * runs the batches on the caller's thread and starts none. The vectors stay the reference's.
     */
    @Test
    void theDefaultIsOnePerPhysicalCoreAndOneStartsNone(@TempDir Path dir) throws IOException {
        Path output = dir.resolve("vectors.npy");
        String[] encode = {"encode", "--model", Shared.arg(DENSE), "--input", texts.toString(), "--output", output.toString()};
        float[][] reference = Arrays.copyOf(Npy.read(Shared.path("fixtures/st6/reference/seed-bert-mean.public.npy")), TEXTS);
        String cores = Integer.toString(RuntimeOptions.physicalCores());

        assertThat(workersStartedBy(encode)).as("worker threads by default")
                .hasSameSizeAs(workersStartedBy(concat(encode, "--threads", cores)));
        assertClose(Npy.read(output), reference, REFERENCE_TOLERANCE);
        assertThat(workersStartedBy(concat(encode, "--threads", "1"))).as("worker threads of --threads 1").isEmpty();
        assertClose(Npy.read(output), reference, REFERENCE_TOLERANCE);
        assertThat(workersStartedBy(concat(encode, "--threads", "4"))).as("worker threads of --threads 4").hasSize(4);
        assertClose(Npy.read(output), reference, REFERENCE_TOLERANCE);
    }

    /** Runs the command in this JVM, recording every thread start, and returns the worker threads it started. */
    private static List<String> workersStartedBy(String... args) throws IOException {
        Path file = Files.createTempFile(temp, "threads", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ThreadStart").withoutStackTrace();
            recording.start();
            CommandRun run = CommandRun.of(args);
            // Stopping gathers every event written before.
            recording.stop();
            assertThat(run.status()).as(run.err()).isZero();
            recording.dump(file);
        }
        return WorkerThreads.startedIn(file);
    }

    private static String[] concat(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }
}
