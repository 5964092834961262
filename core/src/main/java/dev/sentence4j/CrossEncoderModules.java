package dev.sentence4j;

import dev.sentence4j.layer.Activation;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.model.ModulesJson;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.transformer.TransformerTask;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A CrossEncoder's modules: one sequence-classification Transformer, with the labels its
 * {@code config.json} gives the classifier and the activation sentence-transformers applies to its
 * logits; or an LLM reranker: a text-generation Transformer followed by {@link LogitScore}, one label.
 *
 * @param transformer tokenizer and classifier (or causal language model)
 * @param logitScore for an LLM reranker, how its logits become the score
 * @param labels the classifier's labels, by index ({@code id2label})
 * @param activation what {@code predict} applies to the logits
 * @param config prompts and the saved activation
 * @param format which sentence-transformers layout the folder has
 */
record CrossEncoderModules(Transformer transformer, Optional<LogitScore> logitScore, List<String> labels, Activation activation,
        SentenceTransformersConfig config, FolderFormat format) {
    private static final System.Logger LOG = System.getLogger(CrossEncoderModules.class.getName());
    private static final String HF_CONFIG = "config.json";

    CrossEncoderModules {
        labels = List.copyOf(labels);
    }

    /**
     * Reads the Transformer {@code modules.json} lists, or without one (as sentence-transformers 5 and
     * older saved CrossEncoders), the folder as a sequence-classification model.
     *
     * @throws ModelLoadException naming the file and problem
     */
    static CrossEncoderModules read(ModelFiles files, SentenceTransformersConfig config, LoadOptions options) {
        Optional<List<ModuleFolder>> listed = ModulesJson.read(files);
        boolean llm = listed.map(modules -> modules.size() == 2 && modules.get(1).className().equals("LogitScore"))
                .orElseGet(() -> impliedLlmReranker(files));
        if (llm) {
            return readLlmReranker(files, config, options, listed);
        }
        Transformer transformer = Transformer.read(listed.map(modules -> listedTransformer(files, modules))
                        .orElseGet(() -> ModuleFolder.implied(files, 0, "Transformer")),
                ModuleTypes.transformerOptions(options), TransformerTask.SEQUENCE_CLASSIFICATION);
        try {
            if (transformer.task() != TransformerTask.SEQUENCE_CLASSIFICATION) {
                throw new ModelLoadException(files.describe(listed.isPresent() ? "modules.json" : HF_CONFIG)
                        + ": the Transformer is " + transformer.task().configName()
                        + "; a CrossEncoder's is sequence-classification");
            }
            Optional<ConfigFile> hfConfig = ConfigFile.readIfExists(files, HF_CONFIG);
            List<String> labels = labels(files, hfConfig, transformer);
            return new CrossEncoderModules(transformer, Optional.empty(), labels, activation(config, hfConfig, labels.size()),
                    config, FolderFormat.of(listed));
        } catch (RuntimeException e) {
            transformer.close();
            throw e;
        }
    }

    /**
     * Whether a folder without {@code modules.json} holds a {@code *ForCausalLM}, which sentence-transformers'
     * CrossEncoder runs as an LLM reranker (Transformer for text generation, then LogitScore of "yes" and "no").
     */
    static boolean impliedLlmReranker(ModelFiles files) {
        if (files.exists("modules.json") || !files.exists(HF_CONFIG)) {
            return false;
        }
        return ConfigFile.read(files, HF_CONFIG).field("architectures")
                .filter(a -> a.isArray() && a.size() > 0 && a.get(0).asText().endsWith("ForCausalLM")).isPresent();
    }

    /**
     * An LLM reranker: the listed (or implied) Transformer as a causal LM read at the last position for
     * the LogitScore's tokens, one label, Sigmoid unless the folder saves another activation.
     */
    private static CrossEncoderModules readLlmReranker(ModelFiles files, SentenceTransformersConfig config, LoadOptions options,
            Optional<List<ModuleFolder>> listed) {
        listed.ifPresent(modules -> modules.forEach(ModuleTypes::requireImplemented));
        ModuleFolder transformerFolder = listed.map(modules -> modules.get(0))
                .orElseGet(() -> ModuleFolder.implied(files, 0, "Transformer"));
        if (!transformerFolder.className().equals("Transformer")) {
            throw new ModelLoadException(files.describe("modules.json") + ": an LLM reranker's first module is a Transformer, not "
                    + transformerFolder.className());
        }
        LogitScore score;
        if (listed.isPresent()) {
            score = LogitScore.read(listed.get().get(1));
        } else {
            // The graph needs the tokens' rows, so the vocabulary is read first.
            String file = "tokenizer.json";
            if (!files.exists(file)) {
                throw new ModelLoadException(files.describe(file) + " is missing; sentence4j needs the model's fast-tokenizer file");
            }
            try (java.io.InputStream in = files.open(file);
                    Tokenizer tokenizer = Tokenizer.load(in, files.describe(file), new TokenizerSettings(2, false, PaddingSide.LEFT))) {
                score = LogitScore.yesNo(tokenizer, files.describe(file));
            } catch (java.io.IOException e) {
                throw new ModelLoadException("cannot read " + files.describe(file) + ": " + e.getMessage(), e);
            }
        }
        Transformer transformer = Transformer.read(transformerFolder, ModuleTypes.transformerOptions(options),
                TransformerTask.TEXT_GENERATION, score.rows());
        try {
            if (transformer.task() != TransformerTask.TEXT_GENERATION) {
                throw new ModelLoadException(files.describe(listed.isPresent() ? "modules.json" : HF_CONFIG)
                        + ": the Transformer before LogitScore is " + transformer.task().configName() + "; it must be text-generation");
            }
            Optional<ConfigFile> hfConfig = ConfigFile.readIfExists(files, HF_CONFIG);
            return new CrossEncoderModules(transformer, Optional.of(score), List.of("LABEL_0"), activation(config, hfConfig, 1),
                    config, FolderFormat.of(listed));
        } catch (RuntimeException e) {
            transformer.close();
            throw e;
        }
    }

    /** Each row's logits, {@code [batch][labels]}: the classifier's, or an LLM reranker's score. */
    float[][] logits(dev.sentence4j.tokenize.BatchEncoding batch) {
        if (logitScore.isEmpty()) {
            return transformer.scores(batch);
        }
        float[][] rows = transformer.lastTokenLogits(batch);
        float[][] scores = new float[rows.length][];
        for (int b = 0; b < rows.length; b++) {
            scores[b] = new float[] {logitScore.get().score(rows[b])};
        }
        return scores;
    }

    /** The one module a CrossEncoder's {@code modules.json} lists. */
    private static ModuleFolder listedTransformer(ModelFiles files, List<ModuleFolder> modules) {
        modules.forEach(ModuleTypes::requireImplemented);
        List<String> types = modules.stream().map(ModuleFolder::className).toList();
        if (!types.equals(List.of("Transformer"))) {
            throw new ModelLoadException(files.describe("modules.json") + ": modules " + types
                    + " are not the one sequence-classification Transformer of the CrossEncoders sentence4j runs");
        }
        return modules.get(0);
    }

    /**
     * The classifier's labels: {@code id2label} in order of id, else {@code num_labels} generic ones,
     * else as many as the graph's logits have.
     */
    private static List<String> labels(ModelFiles files, Optional<ConfigFile> hfConfig, Transformer transformer) {
        int graphLabels = transformer.hiddenSize();
        Optional<ConfigFile> id2label = hfConfig.flatMap(c -> c.object("id2label"));
        List<String> labels = new ArrayList<>();
        if (id2label.isPresent()) {
            ConfigFile ids = id2label.get();
            Map<Integer, String> byId = new TreeMap<>();
            for (Iterator<String> keys = ids.root().fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                try {
                    byId.put(Integer.parseInt(key), ids.text(key).orElseThrow(() -> ids.error("label " + key + " is null")));
                } catch (NumberFormatException e) {
                    throw ids.error("field '" + ids.key(key) + "' should be a label id (a number)");
                }
            }
            byId.forEach((id, label) -> labels.add(label));
        } else {
            int count = hfConfig.flatMap(c -> c.integer("num_labels")).orElse(graphLabels);
            for (int i = 0; i < count; i++) {
                labels.add("LABEL_" + i);
            }
        }
        if (labels.isEmpty()) {
            throw new ModelLoadException(files.describe(HF_CONFIG) + ": cannot tell how many labels the classifier has:"
                    + " no id2label or num_labels, and " + transformer.source() + " leaves its logits' width open");
        }
        if (graphLabels > 0 && graphLabels != labels.size()) {
            throw new ModelLoadException(files.describe(HF_CONFIG) + " gives the classifier " + labels.size() + " labels but "
                    + transformer.source() + " gives " + graphLabels + " logits per pair");
        }
        return labels;
    }

    /**
     * The activation, as sentence-transformers picks it: {@code activation_fn} in
     * {@code config_sentence_transformers.json}, else {@code config.json}'s {@code sentence_transformers}
     * section (5.x), else its {@code sbert_ce_default_activation_function} (before 4.0), else Sigmoid for
     * one label and Identity for several. A class outside {@code torch} would need remote code: as
     * sentence-transformers without {@code trust_remote_code}, it is skipped with a warning.
     */
    private static Activation activation(SentenceTransformersConfig config, Optional<ConfigFile> hfConfig, int labels) {
        Activation otherwise = labels == 1 ? Activation.SIGMOID : Activation.IDENTITY;
        String saved = config.activationFn().orElse(null);
        String source = "config_sentence_transformers.json: activation_fn";
        if (saved == null && hfConfig.isPresent()) {
            ConfigFile hf = hfConfig.get();
            saved = hf.object("sentence_transformers").flatMap(st -> st.text("activation_fn")).orElse(null);
            source = hf.source() + ": sentence_transformers.activation_fn";
            if (saved == null) {
                saved = hf.text("sbert_ce_default_activation_function").orElse(null);
                source = hf.source() + ": sbert_ce_default_activation_function";
            }
        }
        if (saved == null) {
            return otherwise;
        }
        if (!saved.startsWith("torch.")) {
            LOG.log(System.Logger.Level.WARNING, "{0} is ''{1}'', which is not a PyTorch class: using {2}, as "
                    + "sentence-transformers does without trust_remote_code", source, saved, otherwise.torchClass());
            return otherwise;
        }
        try {
            return Activation.fromTorchClass(saved.substring(saved.lastIndexOf('.') + 1));
        } catch (IllegalArgumentException e) {
            throw config.activationFn().isPresent() ? config.error("activation_fn: " + e.getMessage())
                    : new ModelLoadException(source + ": " + e.getMessage());
        }
    }

    int numLabels() {
        return labels.size();
    }
}
