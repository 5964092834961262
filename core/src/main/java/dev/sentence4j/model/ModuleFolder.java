package dev.sentence4j.model;

import java.util.Optional;

/**
 * One module of a model, as an entry of {@code modules.json} names it: its type and the folder holding
 * its files. Each module class reads its own configuration and weights from here.
 */
public final class ModuleFolder {
    private final ModelFiles files;
    private final int index;
    private final String type;
    private final String className;
    private final String path;

    ModuleFolder(ModelFiles files, int index, String type, String className, String path) {
        this.files = files;
        this.index = index;
        this.type = type;
        this.className = className;
        this.path = path;
    }

    /**
     * The model's root folder as the module of a folder without {@code modules.json}: sentence-transformers
     * then makes module {@code index} of type {@code className} from the model's own files.
     */
    public static ModuleFolder implied(ModelFiles files, int index, String className) {
        return new ModuleFolder(files, index, className, className, "");
    }

    /** All the model's files. */
    public ModelFiles files() {
        return files;
    }

    /** The module's place in {@code modules.json}, from 0. */
    public int index() {
        return index;
    }

    /** The type as {@code modules.json} writes it ({@code sentence_transformers.models.Pooling}). */
    public String type() {
        return type;
    }

    /** The sentence-transformers class the type names ({@code Pooling}). */
    public String className() {
        return className;
    }

    /** The module's folder inside the model ({@code ""} for the model's root). */
    public String path() {
        return path;
    }

    /** The repository path of a file inside this module's folder. */
    public String file(String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    /** Whether the module's folder has the file. */
    public boolean exists(String name) {
        return files.exists(file(name));
    }

    /** Where a file of the module is, for messages. */
    public String describe(String name) {
        return files.describe(file(name));
    }

    /** Reads a JSON file of the module's folder. */
    public ConfigFile config(String name) {
        return ConfigFile.read(files, file(name));
    }

    /** Reads a JSON file of the module's folder if it has one. */
    public Optional<ConfigFile> configIfExists(String name) {
        return ConfigFile.readIfExists(files, file(name));
    }

    /** The module's weights: {@code model.safetensors} when there is one, else {@code pytorch_model.bin}. */
    public ModuleWeights weights() {
        return ModuleWeights.read(this);
    }

    /** An error about this module's entry, naming {@code modules.json}, the module's index and its type. */
    public ModelLoadException error(String problem) {
        return new ModelLoadException(files.describe(ModulesJson.FILE) + ": module " + index + " has type '" + type + "', "
                + problem);
    }

    @Override
    public String toString() {
        return "module " + index + " " + className + (path.isEmpty() ? "" : " in " + path);
    }
}
