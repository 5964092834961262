package dev.sentence4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code -all} jar that spark-submit takes, as {@code package} built it (the surefire execution
 * {@code all-jar} runs this in the integration-test phase): what it holds, what it relocates, and a job run
 * from it alone beside Spark in a JVM of its own. Off in the test phase, which a {@code -Dtest} naming
 * it would otherwise run it in too, before the jar is built.
 */
@EnabledIfSystemProperty(named = "sentence4j.allJar", matches = ".+")
class AllJarIT {
    /** Relocated so that a cluster's own versions of these cannot clash with sentence4j's. */
    private static final Map<String, String> RELOCATED = Map.of(
            "com/fasterxml/jackson/", "dev/sentence4j/shaded/jackson/",
            "com/google/gson/", "dev/sentence4j/shaded/gson/",
            "picocli/", "dev/sentence4j/shaded/picocli/",
            "com/google/protobuf/", "dev/sentence4j/shaded/protobuf/",
            "org/apache/commons/lang3/", "dev/sentence4j/shaded/commons/lang3/");
    /**
     * What Spark's class path holds that sentence4j also uses, so that Maven lists it among sentence4j's
     * runtime dependencies rather than Spark's: a cluster has these, so the jar leaves them out or
     * relocates its own copy.
     */
    private static final List<String> SPARK_ALSO_HAS = List.of("jackson-core-", "jackson-databind-", "jackson-annotations-",
            "slf4j-api-", "commons-lang3-", "commons-codec-", "commons-compress-", "jsr305-");

    private static Path jar;
    private static Set<String> entries;
    /** Spark's class path: the jars Maven lists as Spark's, and those of {@link #SPARK_ALSO_HAS}. */
    private static List<Path> sparkJars;

    @BeforeAll
    static void read() throws IOException {
        jar = Path.of(System.getProperty("sentence4j.allJar"));
        assertThat(jar).as("the -all jar package builds").isRegularFile();
        entries = new HashSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(ZipEntry::getName).forEach(entries::add);
        }
        List<Path> shared = classPath(System.getProperty("sentence4j.runtimeClasspath")).stream()
                .filter(p -> SPARK_ALSO_HAS.stream().anyMatch(p.getFileName().toString()::startsWith)).toList();
        assertThat(shared).hasSameSizeAs(SPARK_ALSO_HAS);
        sparkJars = new ArrayList<>(classPath(System.getProperty("sentence4j.sparkClasspath")));
        sparkJars.addAll(shared);
    }

    @Test
    void itRelocatesTheLibrariesAClusterMayHaveAndKeepsTheNamesNativeCodeBindsTo() throws IOException {
        RELOCATED.forEach((library, relocated) -> assertThat(entries).as(library).noneMatch(e -> e.startsWith(library))
                .anyMatch(e -> e.startsWith(relocated) && e.endsWith(".class")));
        assertThat(entries).as("Spark brings SLF4J and the JSR 305 annotations").noneMatch(e -> e.startsWith("org/slf4j/"))
                .noneMatch(e -> e.startsWith("javax/annotation/"));
        // Services name the relocated classes, so Jackson finds its modules under their new names.
        assertThat(entries).contains("META-INF/services/dev.sentence4j.shaded.jackson.core.JsonFactory")
                .noneMatch(e -> e.startsWith("META-INF/services/com.fasterxml.jackson"));
        // ONNX Runtime, DJL's tokenizers and JNA keep their names: their native libraries bind to them.
        assertThat(entries).contains("ai/onnxruntime/OrtEnvironment.class", "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer.class", "native/lib/linux-x86_64/cpu/libtokenizers.so",
                "com/sun/jna/Native.class", "dev/sentence4j/spark/SentenceEmbedder.class", "dev/sentence4j/SentenceTransformer.class");
        // The default model's weights, float32 and int8, so that its id works on executors with no network.
        assertThat(entries).contains("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-tokenizer.json",
                "dev/sentence4j/models/all-MiniLM-L6-v2/modules.json");
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(EncodeJob.class.getName());
        }
    }

    /**
     * Not one class of the jar is on Spark's class path too, where the cluster's version or the jar's would
     * win by the order of the class path. (Classes under {@code META-INF/versions/} are not counted: the
     * jar is not a multi-release jar, so Java never loads them.)
     */
    @Test
    void itHoldsNoClassSparkBrings() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.isMultiRelease()).isFalse();
        }
        assertThat(sparkJars).hasSizeGreaterThan(100);
        List<String> both = new ArrayList<>();
        for (Path sparkJar : sparkJars) {
            try (JarFile file = new JarFile(sparkJar.toFile())) {
                file.stream().map(ZipEntry::getName).filter(e -> e.endsWith(".class") && !e.endsWith("module-info.class"))
                        .filter(e -> !e.startsWith("META-INF/versions/")).filter(entries::contains).map(e -> e + " (also in " + sparkJar.getFileName() + ")").forEach(both::add);
            }
        }
        assertThat(both).as("classes in the -all jar and on Spark's class path").isEmpty();
    }

    /**
     * The job, run from the jar with nothing else of sentence4j's beside Spark (its own jars and the few of
     * sentence4j's dependencies that Spark has too), encodes the STSb sample to the reference vectors.
     */
    @Test
    void theEncodeJobRunsFromItAloneBesideSpark(@TempDir Path folder) throws Exception {
        List<String> path = new ArrayList<>();
        path.add(jar.toString());
        sparkJars.forEach(p -> path.add(p.toString()));
        // An argument file: a command line as long as this class path crashes ONNX Runtime's threads (see ChildJvm).
        Path argFile = folder.resolve("classpath.args");
        Files.writeString(argFile, "-cp\n\"" + String.join(File.pathSeparator, path) + "\"\n", StandardCharsets.UTF_8);
        Path output = folder.resolve("vectors");
        Path log = folder.resolve("job.log");

        Process job = new ProcessBuilder(ChildJvm.java(), "@" + System.getProperty("sentence4j.javaOptions"), "@" + argFile,
                EncodeJob.class.getName(), "--input", Reference.sentencesFile().toString(), "--output", output.toString(),
                "--format", "jsonl", "--master", "local[2]")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = job.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            job.destroyForcibly().waitFor();
        }

        String said = Files.readString(log);
        assertThat(exited).as(said).isTrue();
        assertThat(job.exitValue()).as(said).isZero();
        assertThat(said).contains("sentence4j: wrote 200 rows to " + output + " (jsonl)");
        List<String> sentences = Reference.sentences();
        float[][] reference = Reference.vectors();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path part : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    rows.add(json.readTree(line));
                }
            }
        }
        assertThat(rows).hasSize(sentences.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).get("text").asText()).isEqualTo(sentences.get(i));
            JsonNode values = rows.get(i).get("embedding");
            assertThat(values.size()).isEqualTo(reference[i].length);
            for (int d = 0; d < values.size(); d++) {
                assertThat(values.get(d).doubleValue()).as("row %d, dimension %d", i, d).isCloseTo(reference[i][d],
                        within(Reference.TOLERANCE));
            }
        }
    }

    /** The jars a class path file written by the dependency plugin lists. */
    private static List<Path> classPath(String file) {
        try {
            return Arrays.stream(Files.readString(Path.of(file)).strip().split(File.pathSeparator)).map(Path::of).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
