package dev.sentence4j;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModulesJson;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.pool.SpladePooling;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.transformer.TransformerTask;
import java.util.List;
import java.util.Optional;

/**
 * A SparseEncoder's modules, read through {@link ModuleTypes}: a fill-mask Transformer (or the older
 * {@code MLMTransformer}) giving masked-LM logits, then SpladePooling.
 *
 * @param transformer tokenizer and masked-LM head
 * @param pooling how the logits become one weight per vocabulary entry
 * @param dimension the vocabulary size: the length of the dense form of each vector
 * @param config prompts and similarity
 * @param format which sentence-transformers layout the folder has
 */
record SparseModules(Transformer transformer, SpladePooling pooling, int dimension, SentenceTransformersConfig config,
        FolderFormat format) {
    private static final List<String> SUPPORTED = List.of("MLMTransformer or fill-mask Transformer", "SpladePooling");

    /**
     * Reads the modules {@code modules.json} lists.
     *
     * @throws ModelLoadException naming the file and problem, such as a module combination (an
     *     inference-free Router, a SparseAutoEncoder) sentence4j does not run
     */
    static SparseModules read(ModelFiles files, SentenceTransformersConfig config, LoadOptions options) {
        List<ModuleFolder> modules = ModulesJson.read(files).orElseThrow(() -> new ModelLoadException(
                files.describe("modules.json") + " is missing; a SparseEncoder lists its modules there"));
        modules.forEach(ModuleTypes::requireImplemented);
        List<String> types = modules.stream().map(ModuleFolder::className).toList();
        if (types.size() != 2 || !List.of("Transformer", "MLMTransformer").contains(types.get(0))
                || !types.get(1).equals("SpladePooling")) {
            throw new ModelLoadException(files.describe("modules.json") + ": modules " + types + " are not the "
                    + String.join(" then ", SUPPORTED) + " of the SparseEncoders sentence4j runs");
        }
        Transformer transformer = (Transformer) ModuleTypes.read(modules.get(0), options);
        try {
            if (transformer.task() != TransformerTask.FILL_MASK) {
                throw modules.get(0).error("a " + transformer.task().configName()
                        + " Transformer; SpladePooling needs a fill-mask one, which gives masked-LM logits");
            }
            SpladePooling pooling = (SpladePooling) ModuleTypes.read(modules.get(1), options);
            return new SparseModules(transformer, pooling, vocabulary(files, transformer), config,
                    FolderFormat.of(Optional.of(modules)));
        } catch (RuntimeException e) {
            transformer.close();
            throw e;
        }
    }

    /** The logits' width as the graph declares it, else {@code config.json}'s {@code vocab_size}. */
    private static int vocabulary(ModelFiles files, Transformer transformer) {
        if (transformer.hiddenSize() > 0) {
            return transformer.hiddenSize();
        }
        ConfigFile config = ConfigFile.read(files, "config.json");
        return config.integer("vocab_size").orElseThrow(() -> config.error("field 'vocab_size' is missing, and "
                + transformer.source() + " leaves its logits' width open"));
    }
}
