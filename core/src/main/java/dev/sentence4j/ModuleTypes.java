package dev.sentence4j;

import dev.sentence4j.layer.Dense;
import dev.sentence4j.layer.LayerNorm;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.model.ModuleFolder;
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
    private interface Reader {
        Object read(ModuleFolder module, LoadOptions options);
    }

    private static final Map<String, Reader> READERS = new LinkedHashMap<>();

    static {
        READERS.put("Transformer", (module, options) -> Transformer.read(module, transformerOptions(options)));
        // 6.x still reads this deprecated subclass: a Transformer whose task is fill-mask unless its folder says.
        READERS.put("MLMTransformer", (module, options) -> Transformer.read(module, transformerOptions(options),
                TransformerTask.FILL_MASK));
        READERS.put("Pooling", (module, options) -> Pooling.read(module));
        READERS.put("SpladePooling", (module, options) -> SpladePooling.read(module));
        READERS.put("Dense", (module, options) -> Dense.read(module));
        READERS.put("LayerNorm", (module, options) -> LayerNorm.read(module));
        READERS.put("Normalize", (module, options) -> Normalize.read(module));
        READERS.put("LogitScore", (module, options) -> LogitScore.read(module));
        READERS.put("MultiVectorMask", (module, options) -> MultiVectorMask.read(module));
    }

    private ModuleTypes() {}

    /**
     * Checks that sentence4j implements the module's type, before anything is loaded.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming {@code modules.json}, the module's index and
     *     type, and what is implemented
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

    /** Reads a module with the class its type names. */
    static Object read(ModuleFolder module, LoadOptions options) {
        requireImplemented(module);
        return READERS.get(module.className()).read(module, options);
    }

    /** What a Transformer module runs: one thread per batch, several batches at once (see BENCHMARKS.md). */
    static TransformerOptions transformerOptions(LoadOptions options) {
        return new TransformerOptions(options.onnxFile(), options.quantized(), options.checkpoint(),
                new RuntimeOptions(1, options.cacheDirectory()));
    }
}
