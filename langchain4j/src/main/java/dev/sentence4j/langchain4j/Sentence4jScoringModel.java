package dev.sentence4j.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import dev.sentence4j.TokenizedTexts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A LangChain4j {@link ScoringModel} that runs a sentence-transformers cross-encoder (a reranker) with
 * sentence4j: each segment's score is what Python's {@code CrossEncoder.predict([(query, text), ...])}
 * returns, the model's own activation applied (Sigmoid for a one-label reranker unless its folder
 * names another). Thread-safe; share one.
 *
 * <pre>{@code
 * ScoringModel model = Sentence4jScoringModel.builder().model("cross-encoder/ms-marco-MiniLM-L6-v2").build();
 * }</pre>
 *
 * <p>The token usage counts the tokens the model ran on: each (query, segment) pair as one input,
 * special tokens included, cut at the model's maximum length as the pair was cut.
 *
 * <p>Built from an id or folder, the adapter owns the model and {@link #close()} frees it; built from a
 * {@link CrossEncoder}, it leaves that model open.
 */
public final class Sentence4jScoringModel implements ScoringModel, AutoCloseable {
    private final CrossEncoder model;
    private final boolean ownsModel;
    private final PredictOptions options;

    private Sentence4jScoringModel(CrossEncoder model, boolean ownsModel, PredictOptions options) {
        if (model.labels().size() != 1) {
            throw new IllegalArgumentException(model.name() + " has " + model.labels().size() + " labels " + model.labels()
                    + "; a ScoringModel gives one score per segment, from a reranker with one label");
        }
        // Tokenizing nothing checks the options' prompt name against the model now, not at the first call.
        model.tokenize(List.of(), options);
        this.model = model;
        this.ownsModel = ownsModel;
        this.options = options;
    }

    /** A builder; name the model with {@link Builder#model(String)} or {@link Builder#model(CrossEncoder)}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The score of each segment's text with the query, in the segments' order. An empty list gives an
     * empty list.
     *
     * @throws IllegalArgumentException for a null or blank query
     * @throws NullPointerException naming the index of a null segment
     * @throws dev.sentence4j.TextTooLongException for a too long pair when the options refuse them
     */
    @Override
    public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query must be a text to score the segments against, got "
                    + (query == null ? "null" : "'" + query + "'"));
        }
        Objects.requireNonNull(segments, "segments");
        List<TextPair> pairs = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            TextSegment segment = segments.get(i);
            if (segment == null) {
                throw new NullPointerException("segment " + i + " is null");
            }
            pairs.add(new TextPair(query, segment.text()));
        }
        TokenizedTexts<TextPair> tokenized = model.tokenize(pairs, options);
        float[] scores = model.predict(tokenized);
        List<Double> content = new ArrayList<>(scores.length);
        for (float score : scores) {
            content.add((double) score);
        }
        return Response.from(content,
                new TokenUsage(model.tokenizer().settings().tokensRun(IntStream.range(0, tokenized.size()).map(tokenized::tokenCount))));
    }

    /** The sentence4j cross-encoder this adapter runs. */
    public CrossEncoder crossEncoder() {
        return model;
    }

    /** Closes the model if this adapter loaded it; a model passed in stays open. */
    @Override
    public void close() {
        if (ownsModel) {
            model.close();
        }
    }

    /** Chooses the model and how pairs are scored. */
    public static final class Builder {
        private final ModelChoice<CrossEncoder> model = new ModelChoice<>("cross-encoder/ms-marco-MiniLM-L6-v2");
        private PredictOptions options = PredictOptions.defaults();

        private Builder() {}

        /**
         * The cross-encoder to load, as {@link CrossEncoder#load(String)} takes it: a folder or a Hugging
         * Face Hub id. The adapter owns it and closes it.
         */
        public Builder model(String folderOrId) {
            this.model.load(folderOrId);
            return this;
        }

        /** A cross-encoder already loaded; the adapter uses it and leaves closing it to the caller. */
        public Builder model(CrossEncoder model) {
            this.model.use(model);
            return this;
        }

        /** For a Hub model: the branch, tag or commit to load. */
        public Builder revision(String branchTagOrCommit) {
            model.loadOptions(options -> options.withRevision(branchTagOrCommit));
            return this;
        }

        /** Run the model's int8 ONNX export instead of its float32 one. */
        public Builder quantized(boolean quantized) {
            model.loadOptions(options -> options.withQuantized(quantized));
            return this;
        }

        /** How many batches run at once, one core each; 0 (the default) for one per physical core. */
        public Builder threads(int threads) {
            model.loadOptions(options -> options.withThreads(threads));
            return this;
        }

        /** The ONNX file to run, as a path inside the model folder. */
        public Builder onnxFile(String pathInModel) {
            model.loadOptions(options -> options.withOnnxFile(pathInModel));
            return this;
        }

        /**
         * How pairs are scored (default {@link PredictOptions#defaults()}): batch size, prompt, long
         * pairs; {@code withApplyActivation(false)} for raw logits, as LangChain4j's
         * {@code OnnxScoringModel} gives.
         */
        public Builder options(PredictOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Loads the model (unless one was given).
         *
         * @throws dev.sentence4j.model.ModelLoadException naming the file and the problem when the model
         *     cannot be loaded, also when the folder holds another family of model
         * @throws IllegalArgumentException for a model with several labels
         */
        public Sentence4jScoringModel build() {
            return model.build(CrossEncoder::load, (loaded, owns) -> new Sentence4jScoringModel(loaded, owns, options));
        }
    }
}
