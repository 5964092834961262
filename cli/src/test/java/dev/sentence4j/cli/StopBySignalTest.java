package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sentence4j.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code encode} in a JVM of its own, stopped by SIGINT, SIGTERM and SIGHUP at moments from start-up
 * through model loading to encoding: every time it exits with the status a shell reports (130, 143, 129,
 * as the README promises), with no native crash, no crash file and no output. Each moment is an event the
 * child reports on its stderr, not a delay: a class it loads ({@code -Xlog:class+load}), which marks the
 * tokenizer's native library loading, ONNX Runtime's, the session being created and the session made, or
 * one of encode's own progress lines. So the signal lands at the same stage on any machine however
 * loaded, and every signal is sent, whatever the test's own process was started to ignore.
 */
class StopBySignalTest {
    private static final String CLASS_LOAD_TAG = "[class,load] ";
    private static final Pattern PROGRESS = Pattern.compile("encoded \\d+ of \\d+ texts \\((\\d+)%, .*\\)");

    /** A stage of the run, known by the first stderr line that shows it was reached. */
    private record Moment(String name, Predicate<String> line) {
        static Moment classLoaded(String name, String className) {
            return new Moment(name, line -> line.startsWith(CLASS_LOAD_TAG + className + " "));
        }

        static Moment progressAtLeast(int percent) {
            return new Moment("encoding, at the first progress line of " + percent + "% or more", line -> {
                Matcher progress = PROGRESS.matcher(line);
                return progress.matches() && Integer.parseInt(progress.group(1)) >= percent;
            });
        }
    }

    private record Signal(String name, int status) {}

    @TempDir
    Path dir;

    @Test
    void anyMomentGivesTheSignalsStatusAndNoCrashOrOutput() throws Exception {
        assumeFalse(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows"),
                "SIGINT, SIGTERM and SIGHUP are POSIX signals: Windows has none to send");
        Path input = dir.resolve("texts.txt");
        List<String> sample = Files.readAllLines(Shared.path("reference/stsb-dev-sample.txt"), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        // Past one chunk of the input (InChunks.SIZE), so that encode writes progress lines to a pipe.
        while (lines.size() <= InChunks.SIZE) {
            lines.addAll(sample);
        }
        Files.write(input, lines, StandardCharsets.UTF_8);
        Path output = dir.resolve("vectors.npy");

        List<Moment> moments = List.of(
                new Moment("start-up, at the JVM's first class", line -> line.startsWith(CLASS_LOAD_TAG)),
                Moment.classLoaded("loading the tokenizer's native library", "ai.djl.huggingface.tokenizers.jni.TokenizersLibrary"),
                Moment.classLoaded("loading ONNX Runtime's native library", "ai.onnxruntime.OnnxRuntime"),
                Moment.classLoaded("creating the ONNX session", "ai.onnxruntime.OrtSession"),
                Moment.classLoaded("reading the ONNX session made", "ai.onnxruntime.NodeInfo"),
                Moment.progressAtLeast(1),
                Moment.progressAtLeast(50));
        List<Signal> signals = List.of(new Signal("INT", 130), new Signal("TERM", 143), new Signal("HUP", 129));
        for (int i = 0; i < moments.size(); i++) {
            Moment moment = moments.get(i);
            Signal signal = signals.get(i % signals.size());
            String what = "SIG" + signal.name() + " at " + moment.name();
            List<String> command = new ArrayList<>(withDefaultSignals());
            command.addAll(List.of(ChildJvm.java(),
                    // The quick compiler alone: start-ups cost less, and the crashes sought are in native code.
                    "-XX:TieredStopAtLevel=1", "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"),
                    // On stdout, where the JVM's crash banner would go too, since the log interleaves with stderr's lines.
                    "-Xlog:class+load=info:stdout:tags", ChildJvm.classPathOption(Main.class),
                    Main.class.getName(), "encode", "--input", input.toString(), "--output", output.toString()));
            Process child = new ProcessBuilder(command).directory(dir.toFile()).start();
            ChildOutput streams;
            try {
                streams = new ChildOutput(child);
                streams.await(moment);
                int kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(child.pid())).start().waitFor();
                assertThat(kill).as("%s: kill finds the child still running", what).isZero();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("%s: exits", what).isTrue();
                streams.readToEnd();
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.exitValue()).as("%s: exit status; stderr %s", what, streams.err).isEqualTo(signal.status());
            assertThat(streams.out).as("%s: stdout, where the JVM writes crash banners", what)
                    .allMatch(line -> line.startsWith(CLASS_LOAD_TAG));
            String stopped = "sentence4j: stopped by SIG" + signal.name();
            assertThat(streams.err).as("%s: stderr", what).allMatch(line -> PROGRESS.matcher(line).matches() || line.equals(stopped));
            if (i > 0) {
                // From the tokenizer on, the command's own handler has the signal, and says so once.
                assertThat(streams.err).as("%s: stderr", what).containsOnlyOnce(stopped);
            }
            assertThat(filesIn(dir)).as("%s: no crash file, no output, no temporary file", what).containsExactly(input);
        }
    }

    /** The child's stdout and stderr, read a line at a time as they come. */
    private static final class ChildOutput {
        private record Line(boolean out, String text) {}

        private static final Line END = new Line(false, null);

        private final Process child;
        private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        private int open = 2;
        final List<String> out = new ArrayList<>();
        final List<String> err = new ArrayList<>();

        ChildOutput(Process child) {
            this.child = child;
            read(child.getInputStream(), true);
            read(child.getErrorStream(), false);
        }

        private void read(InputStream stream, boolean isOut) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(new Line(isOut, line));
                    }
                } catch (IOException e) {
                    lines.add(new Line(false, "reading the child's output failed: " + e));
                }
                lines.add(END);
            }, "child output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Reads up to the moment's line, failing if the child's output ends first. */
        void await(Moment moment) throws InterruptedException {
            while (true) {
                Line line = next();
                if (line == null) {
                    fail("the child never reached %s (%s); its stderr: %s", moment.name(),
                            open == 0 ? "it exited with " + child.waitFor() : "nothing for 120 s", err);
                }
                if (moment.line().test(line.text())) {
                    return;
                }
            }
        }

        /** Reads the rest, to the end of both streams. */
        void readToEnd() throws InterruptedException {
            while (next() != null) {
                // next() keeps each line.
            }
            assertThat(open).as("the child's output streams end with it").isZero();
        }

        /** The next line, kept; null at the end of both streams or after 120 s without one. */
        private Line next() throws InterruptedException {
            while (open > 0) {
                Line line = lines.poll(120, TimeUnit.SECONDS);
                if (line == null) {
                    return null;
                }
                if (line == END) {
                    open--;
                } else {
                    (line.out() ? out : err).add(line.text());
                    return line;
                }
            }
            return null;
        }
    }

    /**
     * The start of a command line that runs the rest with SIGHUP, SIGINT and SIGTERM at their default
     * action: a process started to ignore them (a background job ignores SIGINT, {@code nohup} SIGHUP)
     * passes that on to its children, and a JVM started so never sees them. Perl, which every Debian
     * has (perl-base is essential) and macOS ships, resets them and execs the rest in its own process.
     */
    private static List<String> withDefaultSignals() throws IOException, InterruptedException {
        Process probe;
        try {
            probe = new ProcessBuilder("perl", "-e", "exit 0").redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("no perl on the PATH: this test needs it to undo signals the test's process was started to "
                    + "ignore, so that SIGINT, SIGTERM and SIGHUP reach the child (%s)", e.getMessage());
        }
        assertThat(probe.waitFor()).as("perl -e 'exit 0'").isZero();
        return List.of("perl", "-e", "$SIG{$_} = 'DEFAULT' for qw(HUP INT TERM); exec { $ARGV[0] } @ARGV or die \"exec: $!\"", "--");
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
