package dev.sentence4j;

import dev.sentence4j.layer.Dense;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.layer.VectorLayer;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModulesJson;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.pool.Pooling;
import dev.sentence4j.pool.PoolingMode;
import dev.sentence4j.transformer.Transformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A SentenceTransformer's modules, read through {@link ModuleTypes}: a Transformer, then Pooling, then
 * any layers on the pooled vector; with its {@code config_sentence_transformers.json}.
 *
 * @param transformer tokenizer and token embeddings
 * @param pooling how token vectors become a sentence vector
 * @param layers the modules after pooling (Dense, LayerNorm, Normalize), in order
 * @param config prompts and similarity
 * @param format which sentence-transformers layout the folder has
 */
record EmbeddingModules(Transformer transformer, Pooling pooling, List<VectorLayer> layers, SentenceTransformersConfig config,
        FolderFormat format) {
    private static final System.Logger LOG = System.getLogger(EmbeddingModules.class.getName());
    private static final Set<String> LAYERS = Set.of("Dense", "LayerNorm", "Normalize");

    EmbeddingModules {
        layers = List.copyOf(layers);
    }

    /**
     * Reads the modules {@code modules.json} lists, or without one, as sentence-transformers then makes
     * them: a Transformer with mean pooling, or last-token pooling for a causal language model.
     *
     * @throws ModelLoadException naming the file and problem
     */
    static EmbeddingModules read(ModelFiles files, SentenceTransformersConfig config, LoadOptions options) {
        Optional<List<ModuleFolder>> listed = ModulesJson.read(files);
        if (listed.isEmpty()) {
            Transformer transformer = Transformer.read(ModuleFolder.implied(files, 0, "Transformer"),
                    ModuleTypes.transformerOptions(options));
            try {
                Pooling pooling = defaultPooling(files, transformer);
                LOG.log(System.Logger.Level.WARNING, "{0} has no modules.json: using Transformer + {1} pooling, without "
                        + "normalization", files.name(), pooling);
                return new EmbeddingModules(transformer, pooling, List.of(), config, FolderFormat.PLAIN);
            } catch (RuntimeException e) {
                transformer.close();
                throw e;
            }
        }
        List<ModuleFolder> modules = listed.get();
        modules.forEach(ModuleTypes::requireImplemented);
        checkOrder(files, modules);
        List<Object> read = new ArrayList<>();
        try {
            for (ModuleFolder module : modules) {
                read.add(ModuleTypes.read(module, options));
            }
            List<VectorLayer> layers = read.subList(2, read.size()).stream().map(VectorLayer.class::cast).toList();
            return checked(files, new EmbeddingModules((Transformer) read.get(0), (Pooling) read.get(1), layers, config,
                    FolderFormat.of(listed)), modules);
        } catch (RuntimeException e) {
            for (Object module : read) {
                if (module instanceof Transformer transformer) {
                    transformer.close();
                }
            }
            throw e;
        }
    }

    private static void checkOrder(ModelFiles files, List<ModuleFolder> modules) {
        List<String> types = modules.stream().map(ModuleFolder::className).toList();
        boolean ordered = types.get(0).equals("Transformer")
                && types.size() >= 2 && types.get(1).equals("Pooling")
                && LAYERS.containsAll(types.subList(2, types.size()));
        if (!ordered) {
            throw new ModelLoadException(files.describe("modules.json") + ": modules " + types
                    + " are not a Transformer, then Pooling, then any of " + LAYERS);
        }
    }

    /** Checks that each module takes vectors of the size the one before it gives. */
    private static EmbeddingModules checked(ModelFiles files, EmbeddingModules modules, List<ModuleFolder> folders) {
        int hidden = modules.transformer.hiddenSize();
        if (hidden > 0 && hidden != modules.pooling.dimension()) {
            throw new ModelLoadException(files.describe(modules.transformer.onnxFile()) + " makes token vectors of "
                    + hidden + " values but the pooling configuration expects " + modules.pooling.dimension());
        }
        int dimension = modules.pooling.outputDimension();
        for (int i = 0; i < modules.layers.size(); i++) {
            VectorLayer layer = modules.layers.get(i);
            if (layer instanceof Dense dense && dense.inFeatures() != dimension) {
                throw new ModelLoadException(folders.get(i + 2).describe("config.json") + ": in_features is "
                        + dense.inFeatures() + " but the module before it gives vectors of " + dimension);
            }
            dimension = layer.outputDimension(dimension);
        }
        return modules;
    }

    /**
     * Pooling over the graph's hidden size (or where its output shape leaves it open, {@code config.json}'s):
     * last token for a model built as a causal language model ({@code *ForCausalLM}, unless
     * {@code is_causal} is false), else mean.
     */
    private static Pooling defaultPooling(ModelFiles files, Transformer transformer) {
        Optional<ConfigFile> config = ConfigFile.readIfExists(files, "config.json");
        int hidden = transformer.hiddenSize() > 0 ? transformer.hiddenSize() : config
                .flatMap(c -> c.integer("hidden_size").or(() -> c.integer("d_model")))
                .orElseThrow(() -> new ModelLoadException(files.describe("config.json")
                        + " has no 'hidden_size', which sizes the default pooling"));
        boolean causalLm = config.filter(c -> c.bool("is_causal").orElse(true))
                .flatMap(c -> c.field("architectures"))
                .filter(architectures -> architectures.path(0).asText().endsWith("ForCausalLM"))
                .isPresent();
        return new Pooling(hidden, List.of(causalLm ? PoolingMode.LAST_TOKEN : PoolingMode.MEAN));
    }

    /** Whether the last word on vector length is a Normalize module: vectors come out unit length. */
    boolean normalize() {
        return !layers.isEmpty() && layers.get(layers.size() - 1) instanceof Normalize;
    }

    /** The length of the vectors the modules give. */
    int dimension() {
        int dimension = pooling.outputDimension();
        for (VectorLayer layer : layers) {
            dimension = layer.outputDimension(dimension);
        }
        return dimension;
    }
}
