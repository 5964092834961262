package dev.sentence4j;

import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModulesJson;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.FeatureModule;
import dev.sentence4j.module.InputModule;
import dev.sentence4j.module.Module;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.module.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A model's pipelines: one, or one per route of the Router it starts with, each route's modules
 * followed by those after the Router. Checked when read, so that each module reads what the one before
 * it gives, of the width it expects, and the last gives what the family returns. Thread-safe.
 */
final class Routes implements AutoCloseable {
    /** The name of the one route of a model without a Router. */
    private static final String ONLY = "";

    private final Map<String, Pipeline> pipelines;
    private final Router router;
    private final FolderFormat format;

    private Routes(Map<String, Pipeline> pipelines, Router router, FolderFormat format) {
        this.pipelines = pipelines;
        this.router = router;
        this.format = format;
    }

    /**
     * Reads the modules {@code modules.json} lists, or without one those the family makes.
     *
     * @param implied the modules of a folder without {@code modules.json}
     * @param output what the family reads from the last module
     * @throws ModelLoadException naming the file, module and value that is wrong
     */
    static Routes read(ModelFiles files, ModelFamily family, ModuleReading reading,
            Function<ModuleReading, List<Module>> implied, Feature output) {
        Optional<List<ModuleFolder>> listed = ModulesJson.read(files);
        try {
            List<Module> modules;
            if (listed.isPresent()) {
                listed.get().forEach(ModuleTypes::requireImplemented);
                reading.lookAhead(listed.get());
                modules = new ArrayList<>();
                for (ModuleFolder folder : listed.get()) {
                    modules.add(reading.read(folder));
                }
            } else {
                modules = implied.apply(reading);
            }
            return of(files, family, reading, modules, output, FolderFormat.of(listed));
        } catch (RuntimeException e) {
            reading.closeAll();
            throw e;
        }
    }

    /** One pipeline a family read itself (a multi-vector model's), for a folder of this layout. */
    static Routes of(Pipeline pipeline, FolderFormat format) {
        return new Routes(Map.of(ONLY, pipeline), null, format);
    }

    private static Routes of(ModelFiles files, ModelFamily family, ModuleReading reading, List<Module> modules,
            Feature output, FolderFormat format) {
        Map<String, Pipeline> pipelines = new LinkedHashMap<>();
        List<Module> after = modules.subList(1, modules.size());
        if (modules.get(0) instanceof Router router) {
            router.routes().forEach((name, route) -> {
                List<Module> all = new ArrayList<>(route);
                all.addAll(after);
                pipelines.put(name, pipeline(files, family, reading, all, output));
            });
            return new Routes(pipelines, router, format);
        }
        pipelines.put(ONLY, pipeline(files, family, reading, modules, output));
        return new Routes(pipelines, null, format);
    }

    private static Pipeline pipeline(ModelFiles files, ModelFamily family, ModuleReading reading, List<Module> modules,
            Feature output) {
        if (!(modules.get(0) instanceof InputModule input)) {
            throw reading.folder(modules.get(0)).error("a " + reading.folder(modules.get(0)).className()
                    + " module, which cannot start a model: the first module is an input module (" + inputTypes() + ")");
        }
        Feature feature = input.gives();
        int width = input.width();
        List<FeatureModule> rest = new ArrayList<>();
        for (int i = 1; i < modules.size(); i++) {
            Module module = modules.get(i);
            ModuleFolder folder = reading.folder(module);
            if (!(module instanceof FeatureModule next)) {
                throw folder.error(module instanceof InputModule || module instanceof Router
                        ? "a " + folder.className() + " module after the first; it can only start a model"
                        : "a " + folder.className() + " module, which a " + family.modelType() + " does not run");
            }
            if (next.reads() != feature) {
                throw folder.error("a " + folder.className() + " module, which reads " + next.reads().label()
                        + ", but the module before it gives " + feature.label());
            }
            if (width > 0 && next.inputWidth() > 0 && width != next.inputWidth()) {
                // Pooling reads the graph's token vectors, so the graph file is what disagrees; a layer's own
                // config names the width it expects.
                throw i == 1 && next.reads() != Feature.SENTENCE_EMBEDDING
                        ? new ModelLoadException(input.source() + " makes " + feature.plural() + " of " + width
                                + " values but the " + folder.className().toLowerCase(Locale.ROOT)
                                + " configuration expects " + next.inputWidth())
                        : new ModelLoadException(folder.describe("config.json") + ": " + next.inputWidthKey() + " is "
                                + next.inputWidth() + " but the module before it gives vectors of " + width);
            }
            feature = next.gives();
            width = next.outputWidth(width);
            rest.add(next);
        }
        if (feature != output) {
            throw new ModelLoadException(files.describe("modules.json") + ": the modules end with "
                    + feature.label() + ", but a " + family.modelType() + " returns " + output.label());
        }
        return new Pipeline(input, rest);
    }

    private static String inputTypes() {
        return "Transformer, StaticEmbedding, Router";
    }

    /** The pipeline a call of this task takes: {@code null} for the default route. */
    Pipeline pipeline(String task) {
        return router == null ? pipelines.get(ONLY) : pipelines.get(router.resolve(task));
    }

    /** The pipeline of calls without a task: the default route, else the first. */
    Pipeline defaultPipeline() {
        return router == null || router.defaultRoute() == null ? pipelines.values().iterator().next()
                : pipelines.get(router.defaultRoute());
    }

    /** The routes' names, in order; none for a model without a Router. */
    List<String> names() {
        return router == null ? List.of() : List.copyOf(pipelines.keySet());
    }

    /** The route a call without a task takes, or {@code null} (no Router, or one without a default). */
    String defaultRoute() {
        return router == null ? null : router.defaultRoute();
    }

    /** Which sentence-transformers layout the folder has. */
    FolderFormat format() {
        return format;
    }

    /** Every pipeline, in route order. */
    List<Pipeline> all() {
        return List.copyOf(pipelines.values());
    }

    @Override
    public void close() {
        // Routes may share an input module: each is closed once.
        pipelines.values().stream().map(Pipeline::input).distinct().forEach(InputModule::close);
    }
}
