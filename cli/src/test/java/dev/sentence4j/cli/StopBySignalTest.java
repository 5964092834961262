package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentence4j.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code encode} in a JVM of its own, stopped by real signals at moments from start-up through model
 * loading to encoding: every time it exits as a shell expects (130 for SIGINT, 143 for SIGTERM) with no
 * native crash, no crash file, and no output. The moments are found by watching the process: the native
 * libraries it maps while loading ({@code /proc/PID/maps}) and the temporary output file it creates once
 * the model is loaded.
 */
class StopBySignalTest {
    private static final int SIGINT_BIT = 1 << (2 - 1);

    /** Where in the run a signal is sent, and how long after. */
    private record Moment(String name, Predicate<Process> reached, long delayMillis) {}

    @TempDir
    Path dir;

    @Test
    void anyMomentGivesTheSignalsStatusAndNoCrashOrOutput() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "watches the child through Linux's /proc");
        Path input = dir.resolve("texts.txt");
        List<String> sample = Files.readAllLines(Shared.path("reference/stsb-dev-sample.txt"), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        while (lines.size() < 20_000) {
            lines.addAll(sample);
        }
        Files.write(input, lines, StandardCharsets.UTF_8);
        Path output = dir.resolve("vectors.npy");
        // A process started to ignore SIGINT (a background job) passes that on to its children.
        boolean interruptible = (ignoredSignals() & SIGINT_BIT) == 0;

        List<Moment> moments = new ArrayList<>();
        for (long delay : new long[] {0, 150}) {
            moments.add(new Moment("start-up", process -> true, delay));
        }
        for (long delay : new long[] {0, 20, 60, 120}) {
            moments.add(new Moment("loading the tokenizer", maps("libtokenizers"), delay));
        }
        for (long delay : new long[] {0, 30, 100, 200, 400, 700}) {
            moments.add(new Moment("loading the ONNX session", maps("libonnxruntime.so"), delay));
        }
        for (long delay : new long[] {0, 50, 150, 300, 600, 1000, 1500, 2500}) {
            moments.add(new Moment("encoding", process -> hasTemporaryFile(), delay));
        }
        for (int i = 0; i < moments.size(); i++) {
            Moment moment = moments.get(i);
            String signal = interruptible && i % 2 == 1 ? "INT" : "TERM";
            String what = "SIG" + signal + " " + moment.delayMillis() + " ms after " + moment.name();
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");
            Process child = new ProcessBuilder(ChildJvm.java(),
                    // The quick compiler alone: twenty start-ups cost less, and the crashes sought are in native code.
                    "-XX:TieredStopAtLevel=1", "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"),
                    ChildJvm.classPathOption(Main.class),
                    Main.class.getName(), "encode", "--input", input.toString(), "--output", output.toString())
                    .directory(dir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            try {
                awaitMoment(child, moment);
                Thread.sleep(moment.delayMillis());
                assertThat(child.isAlive()).as("%s: still encoding when signalled", what).isTrue();
                assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor())
                        .isZero();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("%s: exits", what).isTrue();
            } finally {
                child.destroyForcibly();
            }
            List<String> errors = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as("%s: exit status; stderr %s", what, errors).isEqualTo(signal.equals("INT") ? 130 : 143);
            assertThat(Files.readString(stdout)).as("%s: stdout (where the JVM writes crash banners)", what).isEmpty();
            assertThat(errors).as("%s: stderr", what)
                    .allMatch(line -> line.startsWith("encoded ") || line.equals("sentence4j: stopped by SIG" + signal));
            Files.delete(stdout);
            Files.delete(stderr);
            assertThat(filesIn(dir)).as("%s: no crash file, no output, no temporary file", what).containsExactly(input);
        }
    }

    /** Waits until the child reaches the moment, failing if it exits first. */
    private static void awaitMoment(Process child, Moment moment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!moment.reached().test(child)) {
            assertThat(child.isAlive()).as("the child exited before %s", moment.name()).isTrue();
            assertThat(System.nanoTime()).as("the child never reached %s", moment.name()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Whether the process has mapped a native library whose path holds the name. */
    private static Predicate<Process> maps(String library) {
        return process -> {
            try {
                return Files.readString(Path.of("/proc", Long.toString(process.pid()), "maps")).contains(library);
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** Whether encode has created its temporary output, which it does once the model is loaded. */
    private boolean hasTemporaryFile() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The signals this process ignores, as a bit mask (bit n-1 for signal n), from Linux's /proc. */
    private static long ignoredSignals() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .mapToLong(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16))
                .findFirst().orElse(0);
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
