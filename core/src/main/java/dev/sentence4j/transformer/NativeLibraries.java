package dev.sentence4j.transformer;

import ai.onnxruntime.OrtEnvironment;
import dev.sentence4j.files.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * ONNX Runtime's native libraries kept in the cache folder. Left alone, ONNX Runtime copies 28 MB of
 * them out of its jar into a new temporary folder on every start (a fifth of a second, and litter when
 * a process is killed); pointing it at a folder that already holds them skips that.
 */
final class NativeLibraries {
    private static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");
    private static final System.Logger LOG = System.getLogger(NativeLibraries.class.getName());
    private static boolean prepared;

    private NativeLibraries() {}

    /**
     * Points ONNX Runtime at copies of its libraries under {@code cache}, making them on first use.
     * Does nothing where the caller chose a path already, off Linux x86-64, or once ONNX Runtime runs.
     */
    static synchronized void prepare(Path cache) {
        if (prepared || System.getProperty(PATH_PROPERTY) != null || !isLinuxX64()) {
            return;
        }
        prepared = true;
        String version = OrtEnvironment.class.getPackage().getImplementationVersion();
        if (version == null) {
            return;
        }
        Path folder = cache.resolve("native").resolve("onnxruntime-" + version).resolve("linux-x64");
        try {
            for (String library : LIBRARIES) {
                Path target = folder.resolve(library);
                if (!Files.isRegularFile(target)) {
                    extract("/ai/onnxruntime/native/linux-x64/" + library, target);
                }
            }
            System.setProperty(PATH_PROPERTY, folder.toString());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "ONNX Runtime will extract its own libraries: " + e.getMessage());
        }
    }

    private static void extract(String resource, Path target) throws IOException {
        try (InputStream in = OrtEnvironment.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " not found");
            }
            AtomicFile.copy(in, target);
        }
    }

    private static boolean isLinuxX64() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }
}
