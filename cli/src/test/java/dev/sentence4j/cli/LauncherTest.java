package dev.sentence4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sentence4j}, the launcher, run by bash from a copy of a checkout: it builds the tool when
 * the build is missing or older than a pom or main source, and only then; a failed build says so and
 * runs nothing; {@code SENTENCE4J_JAVA_OPTS} reaches the JVM as its options. A real build takes minutes,
 * so the copy's Maven wrapper is a stand-in that records how it was called and puts a build in place:
 * the tool's real classes and libraries, jarred from this test run's class path. Its Java is a stand-in
 * that records the tool's arguments and runs the real Java for it; it refuses any other run (the
 * launcher's class-archive writer, seconds of work of no use here). Skipped only where there is no bash.
 */
class LauncherTest {
    private static final String VERSION_OUTPUT = CommandRun.of("--version").out();
    private static final String BUILDING = "sentence4j: building the command-line tool";

    @TempDir
    static Path classTemp;
    /** The build the stand-in wrapper puts in place: the tool's jar and its lib folder. */
    private static Path staged;
    private static Path bash;
    private static Path realJava;

    @TempDir
    Path dir;
    /** The copy of the checkout: bin/sentence4j, the stand-in mvnw, poms and a main source. */
    private Path root;
    private Path javaHome;

    @BeforeAll
    static void stageTheBuild() throws IOException, URISyntaxException {
        bash = onPath("bash").orElse(null);
        Assumptions.assumeTrue(bash != null, "no bash on the PATH: bin/sentence4j is a bash script");
        realJava = Path.of(System.getProperty("java.home"), "bin", "java");
        staged = Files.createDirectories(classTemp.resolve("staged"));
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        jar(classes, staged.resolve("sentence4j-cli.jar"));
        Path lib = Files.createDirectories(staged.resolve("lib"));
        int n = 0;
        for (String entry : ChildJvm.classPath().split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.equals(classes) || path.endsWith("test-classes")) {
                continue;
            }
            if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
                Files.createSymbolicLink(lib.resolve(n++ + "-" + path.getFileName()), path.toAbsolutePath());
            } else if (Files.isDirectory(path)) {
                jar(path, lib.resolve(n++ + "-classes.jar"));
            }
        }
    }

    @BeforeEach
    void copyTheCheckout() throws IOException {
        root = Files.createDirectories(dir.resolve("checkout"));
        Path launcher = Files.createDirectories(root.resolve("bin")).resolve("sentence4j");
        Files.copy(Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("sentence4j"), launcher);
        executable(launcher);
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        for (String module : List.of("core", "cli", "server")) {
            Files.writeString(Files.createDirectories(root.resolve(module)).resolve("pom.xml"), "<project/>\n");
        }
        Files.writeString(Files.createDirectories(root.resolve("core/src/main/java/dev/sentence4j")).resolve("Model.java"),
                "package dev.sentence4j;\n");
        Files.writeString(Files.createDirectories(root.resolve("core/src/test/java/dev/sentence4j")).resolve("ModelTest.java"),
                "package dev.sentence4j;\n");
        Files.writeString(root.resolve("README.md"), "# sentence4j\n");
        // The stand-in build: the output of a quiet Maven goes to stdout, which the launcher must keep off its own.
        Files.writeString(root.resolve("mvnw"), String.join("\n",
                "#!/usr/bin/env bash",
                "printf '%s|%s\\n' \"$PWD\" \"$*\" >>" + quoted(root.resolve("mvnw.log")),
                "echo '[INFO] stand-in build output'",
                "if [[ -n \"${STANDIN_BUILD_FAILS:-}\" ]]; then",
                "  echo '[ERROR] /checkout/core/src/main/java/dev/sentence4j/Model.java:[2,1] class, interface, enum, or record expected'",
                "  exit 1",
                "fi",
                "if [[ -e cli/target/lib ]]; then echo kept; else echo absent; fi >>" + quoted(root.resolve("lib.log")),
                "mkdir -p cli/target",
                "cp " + quoted(staged.resolve("sentence4j-cli.jar")) + " cli/target/",
                "[[ -e cli/target/lib ]] || ln -s " + quoted(staged.resolve("lib")) + " cli/target/lib",
                ""));
        executable(root.resolve("mvnw"));
        javaHome = Files.createDirectories(dir.resolve("java/bin")).getParent();
        Files.writeString(javaHome.resolve("bin/java"), String.join("\n",
                "#!/usr/bin/env bash",
                "case \" $* \" in",
                "  *' dev.sentence4j.cli.Main '*)",
                "    printf '%s\\n' \"$@\" -- >>" + quoted(dir.resolve("java.log")),
                "    exec " + quoted(realJava) + " \"$@\" ;;",
                "esac",
                "exit 1",
                ""));
        executable(javaHome.resolve("bin/java"));
        // Everything there so far is older than any build.
        Instant past = Instant.now().minusSeconds(3600);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.from(past));
            }
        }
    }

    @Test
    void buildsOnTheFirstRunThenRunsTheBuiltTool() throws IOException {
        Run first = launch(Map.of(), "--version");

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(VERSION_OUTPUT);
        assertThat(first.err()).contains(BUILDING + " (first run)...").contains("[INFO] stand-in build output");
        assertThat(builds()).singleElement().satisfies(build -> {
            assertThat(build).startsWith(root.toRealPath() + "|");
            assertThat(List.of(build.substring(build.indexOf('|') + 1).split(" ")))
                    .contains("package", "-DskipTests", "-am").containsSequence("-pl", "cli");
        });
        assertThat(javaRuns()).hasSize(1);

        Run second = launch(Map.of(), "--version");

        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(VERSION_OUTPUT);
        assertThat(second.err()).doesNotContain(BUILDING);
        assertThat(builds()).as("builds after the second run").hasSize(1);
        assertThat(javaRuns()).hasSize(2);
    }

    /** A pom or a main source newer than the build rebuilds it, once; tests and docs do not. */
    @Test
    void rebuildsWhenAPomOrMainSourceChanged() throws IOException {
        assertThat(launch(Map.of(), "--version").status()).isZero();

        for (String unbuilt : List.of("core/src/test/java/dev/sentence4j/ModelTest.java", "README.md")) {
            change(unbuilt);
            Run run = launch(Map.of(), "--version");
            assertThat(run.err()).as("after a change to %s", unbuilt).doesNotContain(BUILDING);
        }
        assertThat(builds()).hasSize(1);
        int builds = 1;
        for (String built : List.of("core/src/main/java/dev/sentence4j/Model.java", "pom.xml", "server/pom.xml")) {
            change(built);
            Run changed = launch(Map.of(), "--version");
            Run again = launch(Map.of(), "--version");

            assertThat(changed.status()).as(changed.err()).isZero();
            assertThat(changed.err()).as("after a change to %s", built).contains(BUILDING + " (sources changed)...");
            assertThat(changed.out()).isEqualTo(VERSION_OUTPUT);
            assertThat(again.err()).as("the run after that").doesNotContain(BUILDING);
            assertThat(builds()).as("builds after a change to %s", built).hasSize(++builds);
        }

        Files.delete(root.resolve("cli/target/lib"));
        assertThat(launch(Map.of(), "--version").err()).as("without its lib folder").contains(BUILDING + " (first run)...");
    }

    /**
     * A rebuild after a pom change starts from no lib folder, so that a dependency the poms no longer name
     * leaves the class path; one after a source change keeps the folder, whose copies are still current.
     */
    @Test
    void aPomChangeRebuildsTheLibFolderFromNothing() throws IOException {
        assertThat(launch(Map.of(), "--version").status()).isZero();
        change("core/src/main/java/dev/sentence4j/Model.java");
        assertThat(launch(Map.of(), "--version").status()).isZero();
        change("server/pom.xml");
        Run afterPomChange = launch(Map.of(), "--version");

        assertThat(afterPomChange.status()).as(afterPomChange.err()).isZero();
        assertThat(afterPomChange.out()).isEqualTo(VERSION_OUTPUT);
        assertThat(Files.readAllLines(root.resolve("lib.log"), UTF_8)).as("the lib folder as each build began")
                .containsExactly("absent", "kept", "absent");
    }

    @Test
    void aFailedBuildSaysSoAndRunsNothing() throws IOException {
        Run failed = launch(Map.of("STANDIN_BUILD_FAILS", "1"), "--version");

        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.out()).isEmpty();
        assertThat(failed.err().lines().toList()).containsSubsequence(
                BUILDING + " (first run)...",
                "[ERROR] /checkout/core/src/main/java/dev/sentence4j/Model.java:[2,1] class, interface, enum, or record expected",
                "sentence4j: the build failed; see the Maven output above");
        assertThat(javaRuns()).as("tool runs").isEmpty();

        Run fixed = launch(Map.of(), "--version");

        assertThat(fixed.err()).contains(BUILDING + " (first run)...");
        assertThat(fixed.out()).isEqualTo(VERSION_OUTPUT);
    }

    /**
     * SENTENCE4J_JAVA_OPTS is split into words, each a JVM option before the class path, never globbed (a
     * file here matches the pattern); the JVM shows the system property and heeds the flag that shows it.
     */
    @Test
    void javaOptsReachTheJvm() throws IOException {
        Files.writeString(dir.resolve("-Dsentence4j.test.pattern=a-file-b"), "");
        String options = "-XshowSettings:properties  -Dsentence4j.test.pattern=a*b -Dsentence4j.test.second=two";

        Run run = launch(Map.of("SENTENCE4J_JAVA_OPTS", options), "--version");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(VERSION_OUTPUT);
        assertThat(run.err()).contains("Property settings:", "    sentence4j.test.pattern = a*b", "    sentence4j.test.second = two");
        List<String> args = javaRuns().get(0);
        int main = args.indexOf("dev.sentence4j.cli.Main");
        assertThat(args.subList(0, main)).containsSubsequence("-XshowSettings:properties", "-Dsentence4j.test.pattern=a*b",
                "-Dsentence4j.test.second=two", "-cp");
        assertThat(args.subList(main + 1, args.size())).containsExactly("--version");
    }

    private record Run(int status, String out, String err) {}

    /**
     * Runs the copy's launcher from {@code dir} with the stand-in Java, as a user would from a terminal.
     * Its stdout is open as fd 3 too, which whatever it leaves running in the background inherits: the
     * run is over when that pipe closes, so no test ends while the launcher still writes into its folder.
     */
    private Run launch(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(bash.toString(), "-c", "exec 3>&1; exec \"$BASH\" \"$0\" \"$@\"",
                root.resolve("bin/sentence4j").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().remove("SENTENCE4J_JAVA_OPTS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try (InputStream stdout = process.getInputStream()) {
                return stdout.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            byte[] printed = out.get(2, TimeUnit.MINUTES);
            return new Run(process.waitFor(), new String(printed, UTF_8), Files.readString(dir.resolve("err.txt")));
        } catch (TimeoutException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("bin/sentence4j " + String.join(" ", args) + " or its background work still runs after 2 minutes");
        } catch (ExecutionException e) {
            throw new AssertionError("reading the output of bin/sentence4j " + String.join(" ", args), e.getCause());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Each call of the stand-in Maven wrapper: the folder it ran in, a bar, its arguments. */
    private List<String> builds() throws IOException {
        Path log = root.resolve("mvnw.log");
        return Files.exists(log) ? Files.readAllLines(log, UTF_8) : List.of();
    }

    /** The arguments of each run of the tool's JVM. */
    private List<List<String>> javaRuns() throws IOException {
        Path log = dir.resolve("java.log");
        List<List<String>> runs = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (String line : Files.exists(log) ? Files.readAllLines(log, UTF_8) : List.<String>of()) {
            if (line.equals("--")) {
                runs.add(run);
                run = new ArrayList<>();
            } else {
                run.add(line);
            }
        }
        return runs;
    }

    /** A file of the checkout changed after the last build (which is older than it, whatever the clock's resolution). */
    private void change(String file) throws IOException {
        Instant now = Instant.now();
        Files.setLastModifiedTime(root.resolve("cli/target/sentence4j-cli.jar"), FileTime.from(now.minusSeconds(60)));
        Files.setLastModifiedTime(root.resolve(file), FileTime.from(now.minusSeconds(30)));
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, program)).filter(Files::isExecutable).findFirst();
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A jar of a folder of classes and resources. */
    private static void jar(Path folder, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream entries = new JarOutputStream(out);
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                entries.putNextEntry(new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, entries);
                entries.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
