package dev.sentence4j;

import dev.sentence4j.layer.Activation;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.module.InputModule;
import dev.sentence4j.module.Pipeline;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a CrossEncoder knows of its classifier beyond the graph: the labels its {@code config.json}
 * gives (one for an LLM reranker, whose LogitScore gives one score), and the activation
 * sentence-transformers applies to the logits (Sigmoid for one label unless the folder saves another).
 *
 * @param labels the classifier's labels, by index ({@code id2label})
 * @param activation what {@code predict} applies to the logits
 */
record Classifier(List<String> labels, Activation activation) {
    private static final System.Logger LOG = System.getLogger(Classifier.class.getName());
    private static final String HF_CONFIG = "config.json";

    Classifier {
        labels = List.copyOf(labels);
    }

    /**
     * Reads the labels and activation of a model whose pipeline ends with a classifier's scores.
     *
     * @throws ModelLoadException naming the file and problem
     */
    static Classifier read(ModelFiles files, SentenceTransformersConfig config, Pipeline pipeline) {
        Optional<ConfigFile> hfConfig = ConfigFile.readIfExists(files, HF_CONFIG);
        // An LLM reranker's LogitScore gives one score, whatever labels the causal LM's config.json carries.
        List<String> labels = pipeline.rest().stream().anyMatch(LogitScore.class::isInstance) ? List.of("LABEL_0")
                : labels(files, hfConfig, pipeline.input());
        return new Classifier(labels, activation(config, hfConfig, labels.size()));
    }

    /**
     * The classifier's labels: {@code id2label} in order of id, else {@code num_labels} generic ones,
     * else as many as the graph's logits have.
     */
    private static List<String> labels(ModelFiles files, Optional<ConfigFile> hfConfig, InputModule transformer) {
        int graphLabels = transformer.width();
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
