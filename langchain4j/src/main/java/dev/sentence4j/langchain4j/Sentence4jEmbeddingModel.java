package dev.sentence4j.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.embedding.response.EmbeddingResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.EncodeResult;
import dev.sentence4j.SentenceTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A LangChain4j {@link EmbeddingModel} that runs a sentence-transformers model with sentence4j: the
 * vectors Python's sentence-transformers gives, texts cut at the model's {@code max_seq_length} as it
 * cuts them. Thread-safe; share one. Needs LangChain4j 1.18 or newer.
 *
 * <pre>{@code
 * EmbeddingModel model = Sentence4jEmbeddingModel.builder().model("sentence-transformers/all-MiniLM-L6-v2").build();
 * }</pre>
 *
 * <p>Per call it honours {@code dimensions} (the first that many values, unit length again when the
 * model normalizes, as {@code encode(truncate_dim=d, normalize_embeddings=True)}) and
 * {@code inputType}: {@code QUERY} applies the model's query prompt, {@code DOCUMENT} its document
 * prompt, when it has them, and each takes its route of a model with a Router (see {@link Builder}). The token usage counts the tokens the model ran on:
 * special tokens and prompt included, each text cut at the maximum sequence length.
 *
 * <p>Built from an id or folder, the adapter owns the model and {@link #close()} frees it; built from a
 * {@link SentenceTransformer}, it leaves that model open, so several adapters (one per input type, say)
 * can share it.
 */
public final class Sentence4jEmbeddingModel implements EmbeddingModel, AutoCloseable {
    /** The model's prompt names for documents, in the order {@link SentenceTransformer#encodeDocument} tries them. */
    private static final List<String> DOCUMENT_PROMPT_NAMES = List.of("document", "passage", "corpus");

    private final SentenceTransformer model;
    private final boolean ownsModel;
    private final int batchSize;
    private final Prompt prompt;
    private final Prompt queryPrompt;
    private final Prompt documentPrompt;
    private final EmbeddingRequestParameters defaults;
    private final List<EmbeddingModelListener> listeners;

    private Sentence4jEmbeddingModel(Builder builder, SentenceTransformer model, boolean ownsModel) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.batchSize = builder.batchSize;
        this.prompt = builder.prompt.checkedAgainst(model);
        this.queryPrompt = builder.queryPrompt.orModels(model, List.of("query")).checkedAgainst(model);
        this.documentPrompt = builder.documentPrompt.orModels(model, DOCUMENT_PROMPT_NAMES).checkedAgainst(model);
        if (builder.dimensions != null) {
            checkDimensions(builder.dimensions);
        }
        this.defaults = EmbeddingRequestParameters.builder()
                .dimensions(builder.dimensions)
                .inputType(builder.inputType)
                .build();
        this.listeners = List.copyOf(builder.listeners);
    }

    /** A builder; name the model with {@link Builder#model(String)} or {@link Builder#model(SentenceTransformer)}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EmbeddingResponse doEmbed(EmbeddingRequest request) {
        List<String> texts = request.inputs().stream().map(EmbeddingInput::text).toList();
        EncodeResult result = model.encodeWithDetails(texts, options(request));
        List<Embedding> embeddings = new ArrayList<>(texts.size());
        for (float[] vector : result.vectors()) {
            embeddings.add(Embedding.from(vector));
        }
        return EmbeddingResponse.builder()
                .embeddings(embeddings)
                .metadata(EmbeddingResponseMetadata.builder()
                        .modelName(modelName())
                        .tokenUsage(new TokenUsage(model.tokenizer().settings().tokensRun(Arrays.stream(result.tokenCounts()))))
                        .build())
                .build();
    }

    private EncodeOptions options(EmbeddingRequest request) {
        EncodeOptions options = promptFor(request.inputType()).applyTo(EncodeOptions.defaults().withBatchSize(batchSize));
        // A model with a Router takes its query or document route; one without has one route for both.
        if (request.inputType() == EmbeddingInputType.QUERY) {
            options = options.withTask("query");
        } else if (request.inputType() == EmbeddingInputType.DOCUMENT) {
            options = options.withTask("document");
        }
        Integer dimensions = request.dimensions();
        if (dimensions == null || dimensions == model.dimension()) {
            return options;
        }
        checkDimensions(dimensions);
        options = options.withTruncateDim(dimensions);
        // A unit vector cut short is no longer unit length; sentence-transformers normalizes after truncating.
        return model.normalizes() ? options.withNormalize(true) : options;
    }

    private Prompt promptFor(EmbeddingInputType inputType) {
        if (inputType == EmbeddingInputType.QUERY && queryPrompt.isSet()) {
            return queryPrompt;
        }
        if (inputType == EmbeddingInputType.DOCUMENT && documentPrompt.isSet()) {
            return documentPrompt;
        }
        return prompt;
    }

    private void checkDimensions(int dimensions) {
        if (dimensions < 1 || dimensions > model.dimension()) {
            throw new IllegalArgumentException("dimensions must be between 1 and the " + model.dimension() + " of "
                    + model.name() + ", got " + dimensions);
        }
    }

    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
        return Set.of(EmbeddingRequestParameters.DIMENSIONS, EmbeddingRequestParameters.INPUT_TYPE);
    }

    @Override
    public EmbeddingRequestParameters defaultRequestParameters() {
        return defaults;
    }

    @Override
    public List<EmbeddingModelListener> listeners() {
        return listeners;
    }

    /** The length of the vectors: the default {@code dimensions} when one was set, else the model's. */
    @Override
    public int dimension() {
        Integer dimensions = defaults.dimensions();
        return dimensions != null ? dimensions : model.dimension();
    }

    /** The model's id or folder. */
    @Override
    public String modelName() {
        return model.name();
    }

    /** The sentence4j model this adapter runs. */
    public SentenceTransformer sentenceTransformer() {
        return model;
    }

    /** Closes the model if this adapter loaded it; a model passed in stays open. */
    @Override
    public void close() {
        if (ownsModel) {
            model.close();
        }
    }

    /** One of the model's prompts by name, a prompt text, or neither (the model's default prompt). */
    private record Prompt(String name, String text) {
        static final Prompt DEFAULT = new Prompt(null, null);

        boolean isSet() {
            return name != null || text != null;
        }

        /** This prompt, else the first of the model's prompts with one of these names, else none. */
        Prompt orModels(SentenceTransformer model, List<String> names) {
            if (isSet()) {
                return this;
            }
            return names.stream().filter(model.config().prompts()::containsKey).findFirst()
                    .map(name -> new Prompt(name, null)).orElse(DEFAULT);
        }

        Prompt checkedAgainst(SentenceTransformer model) {
            if (name != null && !model.config().prompts().containsKey(name)) {
                throw new IllegalArgumentException(model.name() + " has no prompt named '" + name + "' (it has "
                        + model.config().prompts().keySet() + ")");
            }
            return this;
        }

        EncodeOptions applyTo(EncodeOptions options) {
            if (name != null) {
                return options.withPromptName(name);
            }
            return text != null ? options.withPrompt(text) : options;
        }
    }

    /** Chooses the model and how texts are encoded. */
    public static final class Builder {
        private final ModelChoice<SentenceTransformer> model = new ModelChoice<>("sentence-transformers/all-MiniLM-L6-v2");
        private int batchSize = EncodeOptions.DEFAULT_BATCH_SIZE;
        private Integer dimensions;
        private EmbeddingInputType inputType;
        private Prompt prompt = Prompt.DEFAULT;
        private Prompt queryPrompt = Prompt.DEFAULT;
        private Prompt documentPrompt = Prompt.DEFAULT;
        private List<EmbeddingModelListener> listeners = List.of();

        private Builder() {}

        /**
         * The model to load, as {@link SentenceTransformer#load(String)} takes it: a folder, a built-in
         * model's id, or a Hugging Face Hub id. The adapter owns it and closes it.
         */
        public Builder model(String folderOrId) {
            this.model.load(folderOrId);
            return this;
        }

        /** A model already loaded; the adapter uses it and leaves closing it to the caller. */
        public Builder model(SentenceTransformer model) {
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

        /** The most texts per transformer run (default 32). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Vectors of this many dimensions unless a request says otherwise (Matryoshka truncation). */
        public Builder dimensions(Integer dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /** The input type of requests that name none; by default the model's default prompt applies. */
        public Builder inputType(EmbeddingInputType inputType) {
            this.inputType = inputType;
            return this;
        }

        /** The model's prompt, by name, for inputs without an input type (else the model's default prompt). */
        public Builder promptName(String name) {
            this.prompt = new Prompt(name, null);
            return this;
        }

        /** A prompt text prepended to inputs without an input type. */
        public Builder prompt(String text) {
            this.prompt = new Prompt(null, text);
            return this;
        }

        /** The model's prompt, by name, for {@code QUERY} inputs; by default the one named {@code query}. */
        public Builder queryPromptName(String name) {
            this.queryPrompt = new Prompt(name, null);
            return this;
        }

        /** A prompt text prepended to {@code QUERY} inputs, for models whose configuration names none. */
        public Builder queryPrompt(String text) {
            this.queryPrompt = new Prompt(null, text);
            return this;
        }

        /**
         * The model's prompt, by name, for {@code DOCUMENT} inputs; by default the first it has of
         * {@code document}, {@code passage} and {@code corpus}.
         */
        public Builder documentPromptName(String name) {
            this.documentPrompt = new Prompt(name, null);
            return this;
        }

        /** A prompt text prepended to {@code DOCUMENT} inputs, for models whose configuration names none. */
        public Builder documentPrompt(String text) {
            this.documentPrompt = new Prompt(null, text);
            return this;
        }

        /** Listeners told of each request, response and error. */
        public Builder listeners(List<EmbeddingModelListener> listeners) {
            this.listeners = List.copyOf(listeners);
            return this;
        }

        /**
         * Loads the model (unless one was given) and checks the choices against it.
         *
         * @throws dev.sentence4j.model.ModelLoadException naming the file and the problem when the model cannot be loaded
         * @throws IllegalArgumentException for a prompt name the model lacks or dimensions it cannot give
         */
        public Sentence4jEmbeddingModel build() {
            return model.build(SentenceTransformer::load, (loaded, owns) -> new Sentence4jEmbeddingModel(this, loaded, owns));
        }
    }
}
