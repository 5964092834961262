package dev.sentence4j.model;

import dev.sentence4j.hub.HubException;
import dev.sentence4j.hub.RepoSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Hub model's files, from its cache snapshot: what the loader reads is downloaded, and little else
 * (a checkpoint only when there is no ONNX export, or when asked for).
 * An ONNX file comes with its external-data files ({@code model.onnx_data}, {@code model.onnx.data}),
 * which ONNX Runtime looks for beside it, and with the few files Python's sentence-transformers reads
 * that sentence4j does not, so that Python can load the cached model offline too.
 */
final class HubLocation implements ModelFiles.Location {
    private static final List<String> READ_BY_PYTHON = List.of("config.json", "tokenizer_config.json", "special_tokens_map.json");

    private final RepoSnapshot snapshot;

    HubLocation(RepoSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public boolean exists(String path) {
        return fromHub(() -> snapshot.has(path));
    }

    @Override
    public Optional<List<String>> listedFiles() {
        return snapshot.listedFiles();
    }

    @Override
    public Optional<InputStream> open(String path) throws IOException {
        return exists(path) ? Optional.of(Files.newInputStream(fromHub(() -> snapshot.file(path)))) : Optional.empty();
    }

    @Override
    public Optional<Path> localPath(String path) {
        Path file = fromHub(() -> snapshot.file(path));
        if (path.endsWith(".onnx")) {
            // Known only when the Hub was asked this time; an ONNX file cached earlier came with these then.
            snapshot.listedFiles().ifPresent(files -> files.stream()
                    .filter(f -> f.startsWith(path + "_data") || f.startsWith(path + ".data") || READ_BY_PYTHON.contains(f))
                    .forEach(companion -> fromHub(() -> snapshot.file(companion))));
        }
        return Optional.of(file);
    }

    @Override
    public String describe(String path) {
        return path + " of " + snapshot.repo() + " at " + snapshot.revision() + " (" + snapshot.folder().resolve(path) + ")";
    }

    private static <T> T fromHub(Supplier<T> action) {
        try {
            return action.get();
        } catch (HubException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }
}
