package dev.sentence4j.server;

import dev.sentence4j.CallOptions;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.Model;
import dev.sentence4j.ModelInfo;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.tokenize.Tokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every route needs to know of the model the server serves, whatever its family: its name,
 * tokenizer and prompts, and how TEI's {@code /info} describes it.
 *
 * @param family which routes run it
 * @param kind what TEI calls the model
 * @param kindDetails what TEI says of that kind: {@code {"pooling": ...}} or {@code {"id2label": ..., "label2id": ...}}
 */
record ServedModel(String name, ModelFamily family, String onnxFile, Tokenizer tokenizer, SentenceTransformersConfig config,
        Kind kind, Map<String, Object> kindDetails) {
    /** TEI's kinds of model: it calls a one-label classifier a reranker, and SPLADE models embedding models. */
    enum Kind {
        EMBEDDING("embedding"), RERANKER("reranker"), CLASSIFIER("classifier");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    static ServedModel of(SentenceTransformer model) {
        ModelInfo info = model.describe();
        String pooling = String.join("+", info.facts().get("pooling") instanceof List<?> modes
                ? modes.stream().map(String::valueOf).toList() : List.of("mean"));
        return new ServedModel(model.name(), ModelFamily.SENTENCE_TRANSFORMER, info.onnxFile().orElse(null),
                model.tokenizer(), model.config(), Kind.EMBEDDING, Map.of("pooling", pooling));
    }

    static ServedModel of(CrossEncoder model) {
        Map<String, String> id2label = new LinkedHashMap<>();
        Map<String, Integer> label2id = new LinkedHashMap<>();
        List<String> labels = model.labels();
        for (int id = 0; id < labels.size(); id++) {
            id2label.put(Integer.toString(id), labels.get(id));
            label2id.put(labels.get(id), id);
        }
        return new ServedModel(model.name(), ModelFamily.CROSS_ENCODER, model.describe().onnxFile().orElse(null),
                model.tokenizer(), model.config(), labels.size() == 1 ? Kind.RERANKER : Kind.CLASSIFIER,
                Map.of("id2label", id2label, "label2id", label2id));
    }

    static ServedModel of(SparseEncoder model) {
        return new ServedModel(model.name(), ModelFamily.SPARSE_ENCODER, model.describe().onnxFile().orElse(null),
                model.tokenizer(), model.config(), Kind.EMBEDDING, Map.of("pooling", "splade"));
    }

    /** A multi-vector model, whose inputs are counted against its document length. */
    static ServedModel of(MultiVectorEncoder model) {
        return new ServedModel(model.name(), ModelFamily.MULTI_VECTOR_ENCODER, model.describe().onnxFile().orElse(null),
                model.tokenizer(), model.config(), Kind.EMBEDDING, Map.of("pooling", "none"));
    }

    /**
     * TEI's {@code model_type}: {@code {"embedding": {"pooling": ...}}} or
     * {@code {"reranker": {"id2label": ..., "label2id": ...}}}.
     */
    Map<String, Object> modelType() {
        return Map.of(kind.label, kindDetails);
    }

    /** The prompt name a request gives in a field, checked against the model's prompts; null if it gives none. */
    String promptName(JsonRequest request, String field) {
        String name = request.text(field).orElse(null);
        Map<String, String> prompts = config.prompts();
        if (name != null && !prompts.containsKey(name)) {
            throw ApiException.invalid(request.name(field), "the model has no prompt named '" + name + "' (field '"
                    + request.name(field) + "'); " + (prompts.isEmpty() ? "it has none" : "it has " + prompts.keySet()));
        }
        return name;
    }

    /**
     * The task a request names in a field: {@code query} or {@code document} (also accepted as
     * {@code search_query}, {@code search_document}, as Nomic and Cohere name them), or {@code null} if
     * it names none.
     */
    static String task(JsonRequest request, String field) {
        String value = request.text(field).orElse(null);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "query", "search_query" -> "query";
            case "document", "search_document" -> "document";
            default -> throw ApiException.invalid(request.name(field), "field '" + request.name(field)
                    + "' must be query or document (or search_query, search_document), got '" + value + "'");
        };
    }

    /** The options for the task a request names in {@code task} (its route and prompt), or as they are if it names none. */
    static <O extends CallOptions<O>> O forTask(Model model, JsonRequest request, O options) {
        String task = task(request, "task");
        return task == null ? options : model.forTask(task, options);
    }

    /** The texts with the prompt of that name (or the model's default prompt) before each, as the model prepends it. */
    List<String> prompted(String promptName, List<String> texts) {
        return config.prompt(promptName).map(prompt -> texts.stream().map(text -> prompt + text).toList()).orElse(texts);
    }

    /** The most tokens the model takes per input. */
    int maxSeqLength() {
        return tokenizer.settings().maxSeqLength();
    }
}
