package dev.sentence4j.model;

/**
 * One entry of {@code modules.json}: a pipeline stage and the folder holding its files.
 *
 * @param type the sentence-transformers class name without its package ({@code "Pooling"})
 * @param path the module's folder inside the model ({@code ""} for the model root)
 */
public record ModuleSpec(String type, String path) {
    /** The path of a file inside this module's folder. */
    public String file(String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }
}
