package dev.sentence4j;

import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.InputModule;
import dev.sentence4j.module.Module;
import dev.sentence4j.transformer.TransformerOptions;
import dev.sentence4j.transformer.TransformerTask;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading of one model's modules: what its family and load options ask of each module type, and
 * the folder each module was read from, so a later check can name it. Not thread-safe; one per load.
 */
final class ModuleReading {
    private final LoadOptions options;
    private final TransformerTask transformerTask;
    private final Map<Module, ModuleFolder> folders = new IdentityHashMap<>();
    private final List<InputModule> opened = new ArrayList<>();
    /** A listed LogitScore, read ahead: the Transformer before it builds only the vocabulary rows it reads. */
    private LogitScore logitScore;

    /** @param transformerTask the task of a Transformer whose folder names none, as the family makes it */
    ModuleReading(LoadOptions options, TransformerTask transformerTask) {
        this.options = options;
        this.transformerTask = transformerTask;
    }

    /**
     * Looks ahead at the modules {@code modules.json} lists, before any is read: a LogitScore among them
     * makes the Transformer a causal LM (text generation, unless its folder says otherwise) read for the
     * LogitScore's vocabulary rows only.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the LogitScore's config file and field
     */
    void lookAhead(List<ModuleFolder> listed) {
        for (ModuleFolder folder : listed) {
            if (folder.className().equals("LogitScore")) {
                logitScore = LogitScore.read(folder);
            }
        }
    }

    /** Reads a module with the class its type names, remembering its folder. */
    Module read(ModuleFolder folder) {
        Module module = ModuleTypes.read(folder, this);
        folders.put(module, folder);
        if (module instanceof InputModule input) {
            opened.add(input);
        }
        return module;
    }

    /** Remembers a module the family made without a folder of its own to read (a default pooling). */
    <M extends Module> M made(M module, ModuleFolder implied) {
        folders.put(module, implied);
        if (module instanceof InputModule input) {
            opened.add(input);
        }
        return module;
    }

    /** The folder a module was read from. */
    ModuleFolder folder(Module module) {
        return folders.get(module);
    }

    /** Frees every input module read so far, after a failed load. */
    void closeAll() {
        opened.forEach(InputModule::close);
    }

    /** What a Transformer module runs. */
    TransformerOptions transformerOptions() {
        return ModuleTypes.transformerOptions(options);
    }

    TransformerTask transformerTask() {
        return logitScore != null ? TransformerTask.TEXT_GENERATION : transformerTask;
    }

    /** The vocabulary rows a causal LM's head computes: those of the listed LogitScore; none without one. */
    List<Integer> vocabularyRows() {
        return logitScore != null ? logitScore.rows() : List.of();
    }
}
