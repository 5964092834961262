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
 * A Hub model's files, from its cache snapshot: what the loader reads is downloaded, and little else.
 * An ONNX file comes with its external-data files ({@code model.onnx_data}, {@code model.onnx.data}),
 * which ONNX Runtime looks for beside it, and with the few files Python's sentence-transformers reads
 * that sentence4j does not, so that Python can load the cached model offline too.
 */
final class HubLocation implements ModelFiles.Location {
    private static final int LISTED_NAMES = 25;
    private static final List<String> READ_BY_PYTHON = List.of("config.json", "tokenizer_config.json", "special_tokens_map.json");

    private final RepoSnapshot snapshot;

    HubLocation(RepoSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public boolean exists(String path) {
        boolean exists = fromHub(() -> snapshot.has(path));
        if (!exists && path.endsWith(".onnx")) {
            requireOnnxExport();
        }
        return exists;
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

    /** A repository without any ONNX file cannot run here: say so, and what it has instead. */
    private void requireOnnxExport() {
        snapshot.listedFiles().filter(files -> files.stream().noneMatch(f -> f.endsWith(".onnx"))).ifPresent(files -> {
            List<String> shown = files.subList(0, Math.min(LISTED_NAMES, files.size()));
            String more = files.size() > shown.size() ? " and " + (files.size() - shown.size()) + " more" : "";
            throw new ModelLoadException(snapshot.repo() + " at revision " + snapshot.revision()
                    + " has no ONNX export, which sentence4j needs; it has " + String.join(", ", shown) + more
                    + ". Export it to ONNX (for example with optimum-cli export onnx) into a folder and load that,"
                    + " or pick a repository with onnx/model.onnx");
        });
    }

    private static <T> T fromHub(Supplier<T> action) {
        try {
            return action.get();
        } catch (HubException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }
}
