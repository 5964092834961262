package dev.sentence4j;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The class path for a test's own child JVM: everything the test runs with, whether the build put it
 * on the class path or, the modules having module-info, on the module path (with the test classes
 * patched in), so that the child finds the same classes either way.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** The path of the {@code java} that runs the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A {@code java} argument, {@code @FILE}, that puts {@link #classPath} on the child's class path
     * through an argument file: ONNX Runtime's threads crash the JVM (SIGSEGV, no message) when the
     * command line is as long as a test class path (8 KB crashed {@code serve}; the README says so for
     * Spark's), so the path stays off the command line.
     */
    public static String classPathOption(Class<?>... classes) {
        String path = classPath(classes).replace("\\", "\\\\").replace("\"", "\\\"");
        try {
            Path file = Files.createTempFile("sentence4j-classpath", ".args");
            file.toFile().deleteOnExit();
            Files.writeString(file, "-cp\n\"" + path + "\"\n", StandardCharsets.UTF_8);
            return "@" + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test's class path and module path, and the folders or jars holding these classes. */
    public static String classPath(Class<?>... classes) {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            for (String entry : System.getProperty(property, "").split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    entries.add(entry);
                }
            }
        }
        for (Class<?> type : classes) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
