package dev.sentence4j.model;

import dev.sentence4j.hub.Hub;
import dev.sentence4j.hub.HubException;
import dev.sentence4j.hub.RepoSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files of one model, addressed by their path inside a Hugging Face repository
 * ({@code "modules.json"}, {@code "1_Pooling/config.json"}, {@code "onnx/model.onnx"}), wherever they
 * really live: a local folder, the classpath for a built-in model, or the Hugging Face cache for a Hub
 * model.
 */
public final class ModelFiles {
    private static final int LISTED_NAMES = 25;

    private final String name;
    private final Location location;
    /** The Hub revision the files were found at; {@code null} for a folder or a built-in model. */
    private final String revision;

    private ModelFiles(String name, Location location, String revision) {
        this.name = name;
        this.location = location;
        this.revision = revision;
    }

    /**
     * Finds a model by local folder path or by model id, as {@link #resolve(String, String, Hub)} does
     * with the {@code main} revision and the Hub settings of the environment.
     */
    public static ModelFiles resolve(String folderOrId) {
        return resolve(folderOrId, null, Hub.fromEnvironment());
    }

    /**
     * Finds a model, trying in turn: a local folder at that path; a built-in model with that id (unless a
     * revision is named, which only the Hub has); the Hugging Face cache; the Hub, downloading the files
     * the model needs as they are read. An id without an owner is looked up under
     * {@code sentence-transformers/}, as sentence-transformers does.
     *
     * @param revision a Hub branch, tag or commit, or {@code null} for the built-in model or {@code main}
     * @throws ModelLoadException if there is no such folder, built-in or Hub model, naming what was tried
     */
    public static ModelFiles resolve(String folderOrId, String revision, Hub hub) {
        Path folder = Path.of(folderOrId);
        if (Files.isDirectory(folder)) {
            if (revision != null) {
                throw new ModelLoadException(folder.toAbsolutePath() + " is a local folder, which has no revision '"
                        + revision + "'; revisions are for Hugging Face Hub models");
            }
            return folder(folder);
        }
        if (Files.exists(folder)) {
            throw new ModelLoadException(folder.toAbsolutePath()
                    + " is a file; a model is a folder holding modules.json, tokenizer.json and an ONNX file");
        }
        Optional<BuiltinModel> builtin = revision == null ? BuiltinModel.find(folderOrId) : Optional.empty();
        if (builtin.isPresent()) {
            return builtin.get().files();
        }
        String repoId = hubId(folderOrId);
        if (!Hub.isRepoId(repoId)) {
            throw new ModelLoadException("no model folder at " + folder.toAbsolutePath() + ", and '" + folderOrId
                    + "' is not a Hugging Face model id (owner/name) nor a built-in model (" + BuiltinModel.ids() + ")");
        }
        try {
            return hub(hub.open(repoId, revision));
        } catch (HubException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    /**
     * The Hub repository id a model id stands for: as in sentence-transformers, a name without an owner
     * is one of {@code sentence-transformers/}.
     */
    public static String hubId(String id) {
        return id.contains("/") ? id : "sentence-transformers/" + id;
    }

    /** The files of a Hub repository at one commit: read from its cache snapshot, downloaded when missing. */
    public static ModelFiles hub(RepoSnapshot snapshot) {
        return new ModelFiles(snapshot.repo(), new HubLocation(snapshot), snapshot.revision());
    }

    /** The files of a model folder on disk. */
    public static ModelFiles folder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelLoadException("model folder " + folder.toAbsolutePath() + " does not exist");
        }
        Path root = folder.toAbsolutePath().normalize();
        return new ModelFiles(root.toString(), new FolderLocation(root), null);
    }

    static ModelFiles builtin(String id, Location location) {
        return new ModelFiles(id, location, null);
    }

    /** The model's name: its folder path or its id (for a Hub model, its repository id). */
    public String name() {
        return name;
    }

    /** For a Hub model, the branch, tag or commit its files were found at; empty for a folder or a built-in model. */
    public Optional<String> revision() {
        return Optional.ofNullable(revision);
    }

    /** Whether the model has the file at this repository path. */
    public boolean exists(String path) {
        return location.exists(path);
    }

    /**
     * Opens a file of the model.
     *
     * @throws ModelLoadException naming the file if it is missing or unreadable
     */
    public InputStream open(String path) {
        try {
            return location.open(path).orElseThrow(() -> missing(path));
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + describe(path) + ": " + e.getMessage(), e);
        }
    }

    /** Reads a whole file of the model, as {@link #open} does. */
    public byte[] readAllBytes(String path) {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + describe(path) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file as a path on disk, when it is one: a folder model's files are, and a Hub model's, once
     * downloaded into the cache (which this does); built-in ones are not.
     */
    public Optional<Path> localPath(String path) {
        return location.localPath(path).filter(Files::isRegularFile);
    }

    /**
     * The file as a path on disk: a folder model's own file, or a built-in model's file copied once
     * into {@code cache} (so it is read from the classpath only the first time).
     *
     * @throws ModelLoadException naming the file if it cannot be copied
     */
    public Optional<Path> localCopy(String path, Path cache) {
        try {
            return location.localCopy(path, cache).filter(Files::isRegularFile);
        } catch (IOException e) {
            throw new ModelLoadException("cannot copy " + describe(path) + " into " + cache + ": " + e.getMessage(), e);
        }
    }

    /** All the model's file paths, when known without looking further (a Hub model whose file list was fetched). */
    public Optional<List<String>> listedFiles() {
        return location.listedFiles();
    }

    /** File names for a message: the first few, and how many more. */
    public static String shortList(List<String> names) {
        List<String> shown = names.subList(0, Math.min(LISTED_NAMES, names.size()));
        String more = names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "";
        return String.join(", ", shown) + more;
    }

    /** Where the file is, for messages: an absolute path, or a classpath resource and the model id. */
    public String describe(String path) {
        return location.describe(path);
    }

    private ModelLoadException missing(String path) {
        return new ModelLoadException(describe(path) + " is missing");
    }

    @Override
    public String toString() {
        return name;
    }

    /** Where a model's files come from. */
    interface Location {
        boolean exists(String path);

        Optional<InputStream> open(String path) throws IOException;

        Optional<Path> localPath(String path);

        default Optional<Path> localCopy(String path, Path cache) throws IOException {
            return localPath(path);
        }

        String describe(String path);

        default Optional<List<String>> listedFiles() {
            return Optional.empty();
        }
    }

    private static final class FolderLocation implements Location {
        private final Path root;

        FolderLocation(Path root) {
            this.root = root;
        }

        private Path resolve(String path) {
            return path.isEmpty() ? root : root.resolve(path).normalize();
        }

        @Override
        public boolean exists(String path) {
            return Files.isRegularFile(resolve(path));
        }

        @Override
        public Optional<InputStream> open(String path) throws IOException {
            Path file = resolve(path);
            return Files.isRegularFile(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
        }

        @Override
        public Optional<Path> localPath(String path) {
            return Optional.of(resolve(path));
        }

        @Override
        public String describe(String path) {
            return resolve(path).toString();
        }
    }
}
