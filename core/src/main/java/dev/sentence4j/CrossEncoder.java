package dev.sentence4j;

import dev.sentence4j.hub.Hub;
import dev.sentence4j.layer.Activation;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.Feature;
import dev.sentence4j.module.Pipeline;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.transformer.Transformer;
import dev.sentence4j.transformer.TransformerTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sentence-transformers CrossEncoder (a reranker): scores pairs of texts, read together by one
 * transformer with a classification head, as Python's {@code CrossEncoder.predict} and {@code rank} do.
 * Thread-safe; close it to free the native resources.
 *
 * <pre>{@code
 * try (CrossEncoder reranker = CrossEncoder.load("cross-encoder/ms-marco-MiniLM-L6-v2")) {
 *     float[] scores = reranker.predict(List.of(new TextPair(query, doc1), new TextPair(query, doc2)));
 *     List<RankedText> top = reranker.rank(query, documents, 10);
 * }
 * }</pre>
 */
public final class CrossEncoder extends Model {
    private final Classifier classifier;

    private CrossEncoder(Loaded loaded, Classifier classifier, int threads) {
        super(loaded, threads);
        this.classifier = classifier;
    }

    /**
     * Loads a CrossEncoder from a local folder or by Hugging Face Hub id, as
     * {@link SentenceTransformer#load(String)} does: a folder saved by sentence-transformers 6, or by
     * older versions (a plain {@code *ForSequenceClassification} model without {@code modules.json}),
     * with an ONNX export whose output is the classifier's {@code logits}, or a checkpoint from which
     * sentence4j builds the sequence-classification graph.
     *
     * @throws ModelLoadException naming the file and what is wrong, also when the folder holds another
     *     family of model
     */
    public static CrossEncoder load(String folderOrId) {
        return load(folderOrId, LoadOptions.defaults());
    }

    /** Loads a CrossEncoder as {@link #load(String)} does, with options, as {@link SentenceTransformer#load(String, LoadOptions)}. */
    public static CrossEncoder load(String folderOrId, LoadOptions options) {
        return load(ModelFiles.resolve(folderOrId, options.revision(), options.hub()), options);
    }

    /**
     * Loads a CrossEncoder from files found already, as {@link SentenceTransformer#load(ModelFiles, LoadOptions)}.
     *
     * @throws IllegalArgumentException if the options name a revision the files are not at
     */
    public static CrossEncoder load(ModelFiles files, LoadOptions options) {
        // Without modules.json (as sentence-transformers 5 and older saved CrossEncoders), the folder is one
        // sequence-classification model, or a *ForCausalLM that sentence-transformers 6 runs as an LLM reranker:
        // a text-generation Transformer, then LogitScore of "yes" against "no".
        boolean llm = LogitScore.impliedLlmReranker(files);
        Loaded loaded = read(files, options, ModelFamily.CROSS_ENCODER, TransformerTask.SEQUENCE_CLASSIFICATION,
                reading -> {
                    ModuleFolder root = ModuleFolder.implied(files, 0, "Transformer");
                    if (!llm) {
                        return List.of(reading.made(Transformer.read(root, reading.transformerOptions(),
                                TransformerTask.SEQUENCE_CLASSIFICATION), root));
                    }
                    LogitScore score = LogitScore.yesNo(files);
                    return List.of(reading.made(Transformer.read(root, reading.transformerOptions(),
                            TransformerTask.TEXT_GENERATION, score.rows()), root),
                            reading.made(score, ModuleFolder.implied(files, 1, "LogitScore")));
                }, Feature.SCORES, !llm);
        try {
            return new CrossEncoder(loaded, Classifier.read(files, loaded.config(), loaded.routes().defaultPipeline()),
                    options.threads());
        } catch (ModelLoadException e) {
            throw loaded.closing(e);
        }
    }

    /** The score of one pair, for a model with one label. */
    public float predict(TextPair pair) {
        return predict(List.of(pair))[0];
    }

    /** The score of each pair, in order, for a model with one label, with the default options. */
    public float[] predict(List<TextPair> pairs) {
        return predict(pairs, PredictOptions.defaults());
    }

    /**
     * The score of each pair, in order, for a model with one label: the model's activation of its logit
     * (Sigmoid unless the folder names another), or the raw logit with
     * {@link PredictOptions#withApplyActivation(boolean) withApplyActivation(false)}. Pairs are batched
     * longest first; an empty list gives an empty result.
     *
     * @throws IllegalStateException if the model has several labels (use {@link #predictAll})
     * @throws NullPointerException naming the index of a null pair or text
     * @throws TextTooLongException for a too long pair under {@link LongInputs#ERROR}
     */
    public float[] predict(List<TextPair> pairs, PredictOptions options) {
        requireOneLabel("predict");
        return predict(tokenize(pairs, options));
    }

    /**
     * The score of each tokenized pair, in order, with the options they were tokenized for, as
     * {@link #predict(List, PredictOptions)}.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws IllegalStateException if the model has several labels
     */
    public float[] predict(TokenizedTexts<TextPair> pairs) {
        requireOneLabel("predict");
        float[][] all = predictAll(pairs);
        float[] scores = new float[all.length];
        for (int i = 0; i < all.length; i++) {
            scores[i] = all[i][0];
        }
        return scores;
    }

    /** Every label's score of each pair, {@code [pairs][labels]}, with the default options. */
    public float[][] predictAll(List<TextPair> pairs) {
        return predictAll(pairs, PredictOptions.defaults());
    }

    /**
     * Every label's score of each pair, {@code [pairs][labels]} in the order of {@link #labels()}: for
     * models with several labels (Identity activation unless the folder names another), or one.
     *
     * @throws NullPointerException naming the index of a null pair or text
     * @throws TextTooLongException for a too long pair under {@link LongInputs#ERROR}
     */
    public float[][] predictAll(List<TextPair> pairs, PredictOptions options) {
        return predictAll(tokenize(pairs, options));
    }

    /**
     * Every label's score of each tokenized pair, with the options they were tokenized for, as
     * {@link #predictAll(List, PredictOptions)}.
     *
     * @throws IllegalArgumentException if another model tokenized them
     * @throws TextTooLongException for a too long pair under {@link LongInputs#ERROR}
     */
    public float[][] predictAll(TokenizedTexts<TextPair> pairs) {
        PredictOptions options = optionsOf(pairs, PredictOptions.class);
        return guard.call(workers -> new PredictRun(pipeline(options), classifier, workers, options).scores(pairs));
    }

    /**
     * Makes pairs ready for {@link #predictAll(TokenizedTexts)}: each tokenized once as one input, the
     * options' prompt before its first text, its token count known before anything runs.
     *
     * @throws NullPointerException naming the index of a null pair or text
     * @throws IllegalArgumentException for an unknown prompt name
     */
    public TokenizedTexts<TextPair> tokenize(List<TextPair> pairs, PredictOptions options) {
        Objects.requireNonNull(pairs, "pairs");
        Pipeline pipeline = pipeline(options);
        Tokenizer tokenizer = pipeline.tokenizer();
        String prompt = Prompts.choose(config(), options.prompt(), options.promptName());
        return guard.call(workers -> pipeline.input().chatTemplate()
                .map(chat -> TokenizedTexts.ofChatPairs(tokenizer, chat, pairs, prompt, options))
                .orElseGet(() -> TokenizedTexts.ofPairs(tokenizer, pairs, prompt, options)));
    }

    /** The best {@code topK} documents for the query, as {@link #rank(String, List, int, PredictOptions)}. */
    public List<RankedText> rank(String query, List<String> documents, int topK) {
        return rank(query, documents, topK, PredictOptions.defaults());
    }

    /**
     * Scores each document with the query and returns the best {@code topK}, best first; equal scores
     * keep the documents' order, as sentence-transformers' {@code rank}. An empty list gives an empty
     * result.
     *
     * @throws IllegalArgumentException if {@code topK < 1}
     * @throws IllegalStateException if the model has several labels
     * @throws NullPointerException for a null query, or naming the index of a null document
     */
    public List<RankedText> rank(String query, List<String> documents, int topK, PredictOptions options) {
        Objects.requireNonNull(query, "the query is null");
        if (topK < 1) {
            throw new IllegalArgumentException("top k must be at least 1, got " + topK);
        }
        requireOneLabel("rank");
        Prompts.requireNoNulls(documents, "document");
        List<TextPair> pairs = new ArrayList<>(documents.size());
        for (String document : documents) {
            pairs.add(new TextPair(query, document));
        }
        float[] scores = predict(pairs, options);
        List<RankedText> ranked = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            ranked.add(new RankedText(i, scores[i], documents.get(i)));
        }
        ranked.sort(Comparator.comparingDouble((RankedText r) -> r.score()).reversed());
        return List.copyOf(ranked.subList(0, Math.min(topK, ranked.size())));
    }

    private void requireOneLabel(String call) {
        if (classifier.numLabels() != 1) {
            throw new IllegalStateException(call + " needs a model with one label; " + name() + " has "
                    + classifier.numLabels() + " " + classifier.labels() + (call.equals("rank") ? "" : ": use predictAll"));
        }
    }

    /** The classifier's labels, by index: one ({@code LABEL_0}) for a reranker. */
    public List<String> labels() {
        return classifier.labels();
    }

    /** The activation {@code predict} applies to the logits, as the folder says. */
    public Activation activation() {
        return classifier.activation();
    }

    /** The transformer and its classification head on the default route, for running it one stage at a time. */
    public Transformer transformer() {
        return Stages.first(routes.defaultPipeline(), Transformer.class, name());
    }

    @Override
    ModelFamily family() {
        return ModelFamily.CROSS_ENCODER;
    }

    @Override
    int width() {
        return classifier.numLabels();
    }

    @Override
    SimilarityFunction similarityOrNull() {
        return null;
    }

    @Override
    void addFacts(Pipeline pipeline, Map<String, Object> facts) {
        facts.put("labels", classifier.labels());
        facts.put("activation", classifier.activation().torchClass());
    }
}
