package dev.sentence4j;

import dev.sentence4j.layer.Dense;
import dev.sentence4j.layer.Dropout;
import dev.sentence4j.layer.LayerNorm;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.lookup.SparseStaticEmbedding;
import dev.sentence4j.lookup.StaticEmbedding;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.Module;
import dev.sentence4j.module.Router;
import dev.sentence4j.multivector.HierarchicalTokenPooling;
import dev.sentence4j.multivector.MultiVectorMask;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.pool.SpladePooling;
import dev.sentence4j.transformer.RuntimeOptions;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.transformer.TransformerOptions;
import dev.sentence4j.transformer.TransformerTask;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The module types sentence4j implements, by the sentence-transformers class a {@code modules.json}
 * type names: the one place where a type is tied to the class that reads its folder. A new module type
 * is one class with a {@code read} method and one line here.
 */
final class ModuleTypes {
    /** Reads one module type's folder. */
    @FunctionalInterface
    private interface Reader {
        Module read(ModuleFolder module, ModuleReading reading);
    }

    private static final Map<String, Reader> READERS = new LinkedHashMap<>();

    static {
        READERS.put("Transformer", (module, reading) -> Transformer.read(module, reading.transformerOptions(),
                reading.transformerTask(module), reading.vocabularyRows(module)));
        // 6.x still reads this deprecated subclass: a Transformer whose task is fill-mask unless its folder says.
        READERS.put("MLMTransformer", (module, reading) -> Transformer.read(module, reading.transformerOptions(),
                TransformerTask.FILL_MASK));
        READERS.put("Pooling", (module, reading) -> Pooling.read(module));
        READERS.put("SpladePooling", (module, reading) -> SpladePooling.read(module));
        READERS.put("Dense", (module, reading) -> Dense.read(module));
        READERS.put("LayerNorm", (module, reading) -> LayerNorm.read(module));
        READERS.put("Normalize", (module, reading) -> Normalize.read(module));
        READERS.put("LogitScore", (module, reading) -> LogitScore.read(module));
        READERS.put("MultiVectorMask", (module, reading) -> MultiVectorMask.read(module));
        READERS.put("HierarchicalTokenPooling", (module, reading) -> HierarchicalTokenPooling.read(module));
        READERS.put("Dropout", (module, reading) -> Dropout.read(module));
        READERS.put("Router", (module, reading) -> Router.read(module, reading::read));
        READERS.put("StaticEmbedding", (module, reading) -> StaticEmbedding.read(module));
        READERS.put("SparseStaticEmbedding", (module, reading) -> SparseStaticEmbedding.read(module));
    }

    private ModuleTypes() {}

    /**
     * Checks that sentence4j implements the module's type, before anything is loaded.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file that lists the module, the module
     *     and its type, and what is implemented
     */
    static void requireImplemented(ModuleFolder module) {
        String implemented = "(it implements " + String.join(", ", READERS.keySet()) + ")";
        if (!module.type().startsWith("sentence_transformers.")) {
            throw module.error("custom code from outside sentence-transformers, which Python loads only with "
                    + "trust_remote_code=True; sentence4j runs no custom code " + implemented);
        }
        if (!READERS.containsKey(module.className())) {
            throw module.error("a " + module.className() + " module, which sentence4j does not implement " + implemented);
        }
    }

    /** What a Transformer module runs: one thread per batch, several batches at once (see BENCHMARKS.md). */
    static TransformerOptions transformerOptions(LoadOptions options) {
        return new TransformerOptions(options.onnxFile(), options.quantized(), options.checkpoint(),
                new RuntimeOptions(1, options.cacheDirectory(), !options.fastLoad()));
    }

    /** Reads a module with the class its type names. */
    static Module read(ModuleFolder module, ModuleReading reading) {
        requireImplemented(module);
        return READERS.get(module.className()).read(module, reading);
    }
}
