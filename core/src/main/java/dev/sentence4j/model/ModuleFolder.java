package dev.sentence4j.model;

import java.util.List;
import java.util.Optional;

/**
 * One module of a model, as an entry of {@code modules.json} names it: its type and the folder holding
 * its files. Each module class reads its own configuration and weights from here.
 */
public final class ModuleFolder {
    /** The files every module sentence4j reads has at least one of in its folder. */
    public static final List<String> MODULE_FILES = List.of("config.json", "tokenizer.json", "model.safetensors",
            "pytorch_model.bin");

    private final ModelFiles files;
    private final int index;
    private final String type;
    private final String className;
    private final String path;
    /** The file that lists this module: {@code modules.json}, or a Router's {@code router_config.json}. */
    private final String listing;
    /** How the listing names this module: its index, or a Router's module id in quotes. */
    private final String name;

    ModuleFolder(ModelFiles files, int index, String type, String className, String path) {
        this(files, index, type, className, path, ModulesJson.FILE, Integer.toString(index));
    }

    private ModuleFolder(ModelFiles files, int index, String type, String className, String path, String listing,
            String name) {
        this.files = files;
        this.index = index;
        this.type = type;
        this.className = className;
        this.path = path;
        this.listing = listing;
        this.name = name;
    }

    /**
     * A module that this one lists in one of its files, in a folder of its own named by its id, as a
     * Router lists the modules of its routes.
     *
     * @param listing the file of this module that lists it ({@code router_config.json})
     * @param id its id there, which is also its folder's name
     * @param type its type, as the listing writes it
     */
    public ModuleFolder child(String listing, String id, String type) {
        return new ModuleFolder(files, index, type, ModulesJson.className(type), file(id), file(listing), "'" + id + "'");
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

    /** Whether the module's folder has any of {@link #MODULE_FILES}. */
    public boolean hasFiles() {
        return MODULE_FILES.stream().anyMatch(this::exists);
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

    /** An error about this module's entry, naming the file that lists it ({@code modules.json}), the module and its type. */
    public ModelLoadException error(String problem) {
        return new ModelLoadException(files.describe(listing) + ": module " + name + " has type '" + type + "', " + problem);
    }

    @Override
    public String toString() {
        return "module " + name + " " + className + (path.isEmpty() ? "" : " in " + path);
    }
}
