package dev.sentence4j;

import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.InputModule;
import dev.sentence4j.module.Module;
import dev.sentence4j.module.Router;
import dev.sentence4j.transformer.TransformerOptions;
import dev.sentence4j.transformer.TransformerTask;
import java.util.ArrayList;
import java.util.HashMap;
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
    /**
     * The vocabulary rows of each Transformer a LogitScore scores, by the Transformer's folder, read
     * ahead: that Transformer is a causal LM whose head gives just these rows.
     */
    private final Map<String, List<Integer>> causalRows = new HashMap<>();
    /** The LogitScore that gave each Transformer its rows, for a message. */
    private final Map<String, String> scorers = new HashMap<>();

    /** @param transformerTask the task of a Transformer whose folder names none, as the family makes it */
    ModuleReading(LoadOptions options, TransformerTask transformerTask) {
        this.options = options;
        this.transformerTask = transformerTask;
    }

    /**
     * Looks ahead at the modules {@code modules.json} lists, and those of a Router's routes, before any
     * is read: a LogitScore makes the Transformer before it in its route (followed by the modules after
     * the Router) a causal LM (text generation, unless its folder says otherwise) read for the
     * LogitScore's vocabulary rows only.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the LogitScore's config file and field, also
     *     when one Transformer is scored by LogitScores of different tokens
     */
    void lookAhead(List<ModuleFolder> listed) {
        List<List<ModuleFolder>> sequences = new ArrayList<>();
        if (!listed.isEmpty() && listed.get(0).className().equals("Router")) {
            List<ModuleFolder> after = listed.subList(1, listed.size());
            for (List<ModuleFolder> route : Router.routeFolders(listed.get(0)).values()) {
                List<ModuleFolder> sequence = new ArrayList<>(route);
                sequence.addAll(after);
                sequences.add(sequence);
            }
        } else {
            sequences.add(listed);
        }
        for (List<ModuleFolder> sequence : sequences) {
            for (int i = 0; i < sequence.size(); i++) {
                if (sequence.get(i).className().equals("LogitScore")) {
                    scored(sequence.subList(0, i), sequence.get(i));
                }
            }
        }
    }

    /** Records the rows a LogitScore reads for the nearest Transformer before it. */
    private void scored(List<ModuleFolder> before, ModuleFolder scoreFolder) {
        LogitScore score = LogitScore.read(scoreFolder);
        for (int j = before.size() - 1; j >= 0; j--) {
            if (before.get(j).className().equals("Transformer")) {
                String transformer = before.get(j).path();
                List<Integer> earlier = causalRows.putIfAbsent(transformer, score.rows());
                if (earlier != null && !earlier.equals(score.rows())) {
                    throw scoreFolder.config("config.json").error("true_token_id/false_token_id read vocabulary rows "
                            + score.rows() + ", but the Transformer they score ('" + transformer + "') is also scored by "
                            + scorers.get(transformer) + " with rows " + earlier
                            + "; sentence4j builds one language-model head per Transformer");
                }
                scorers.putIfAbsent(transformer, "'" + scoreFolder.path() + "'");
                return;
            }
        }
    }

    /** Reads a module with the class its type names, remembering its folder. */
    Module read(ModuleFolder folder) {
        return made(ModuleTypes.read(folder, this), folder);
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

    /** The task of a Transformer whose folder names none: text generation for one a LogitScore scores. */
    TransformerTask transformerTask(ModuleFolder transformer) {
        return causalRows.containsKey(transformer.path()) ? TransformerTask.TEXT_GENERATION : transformerTask;
    }

    /** The vocabulary rows a causal LM's head computes: those of the LogitScore that scores it; none without one. */
    List<Integer> vocabularyRows(ModuleFolder transformer) {
        return causalRows.getOrDefault(transformer.path(), List.of());
    }
}
