package dev.sentence4j.springai;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.EncodeResult;
import dev.sentence4j.SentenceTransformer;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.observation.DefaultEmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationDocumentation;

/**
 * A Spring AI {@link EmbeddingModel} that runs a sentence-transformers model with sentence4j: the
 * vectors Python's sentence-transformers gives, texts cut at the model's {@code max_seq_length} as it
 * cuts them. Thread-safe. It uses the {@link SentenceTransformer} it is given and never closes it:
 * whoever loaded it (the Spring context, under the auto-configuration) closes it.
 *
 * <p>A request's {@link EmbeddingOptions#getDimensions() dimensions} keep the first that many values,
 * made unit length again when the model's vectors are (it normalizes, or {@code normalize} is on), as
 * sentence-transformers' {@code encode(truncate_dim=d, normalize_embeddings=True)}. A request naming
 * another {@link EmbeddingOptions#getModel() model} is refused. The usage counts the tokens the model
 * ran on: special tokens and prompt included, each text cut at the maximum sequence length.
 */
public final class Sentence4jEmbeddingModel implements EmbeddingModel {
    /** The provider name observations report. */
    public static final String PROVIDER = "sentence4j";

    private static final EmbeddingModelObservationConvention DEFAULT_CONVENTION = new DefaultEmbeddingModelObservationConvention();

    private final SentenceTransformer model;
    private final int batchSize;
    private final Boolean normalize;
    private final String promptName;
    private final Integer dimensions;
    private final MetadataMode metadataMode;
    private final ObservationRegistry observationRegistry;
    private final EmbeddingModelObservationConvention observationConvention;

    private Sentence4jEmbeddingModel(Builder builder) {
        this.model = builder.model;
        this.batchSize = builder.batchSize;
        this.normalize = builder.normalize;
        this.promptName = builder.promptName;
        this.dimensions = builder.dimensions;
        this.metadataMode = builder.metadataMode;
        this.observationRegistry = builder.observationRegistry;
        this.observationConvention = builder.observationConvention;
        if (promptName != null && !model.config().prompts().containsKey(promptName)) {
            throw new IllegalArgumentException(model.name() + " has no prompt named '" + promptName + "' (it has "
                    + model.config().prompts().keySet() + ")");
        }
        if (dimensions != null) {
            checkDimensions(dimensions);
        }
    }

    /** A builder for a model already loaded. */
    public static Builder builder(SentenceTransformer model) {
        return new Builder(model);
    }

    /** Embeds the request's texts on the model's default route, as {@code encode} does. */
    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        return call(request, null);
    }

    private EmbeddingResponse call(EmbeddingRequest request, String task) {
        EmbeddingOptions options = request.getOptions();
        String requestedModel = options == null ? null : options.getModel();
        if (requestedModel != null && !requestedModel.equals(model.name())) {
            throw new IllegalArgumentException("this EmbeddingModel runs " + model.name() + "; the request asks for "
                    + requestedModel);
        }
        Integer requestedDimensions = options == null ? null : options.getDimensions();
        int cut = requestedDimensions != null ? requestedDimensions : dimensions();
        // What ran, for observations: the model and the dimensions in effect.
        EmbeddingRequest effective = new EmbeddingRequest(request.getInstructions(),
                EmbeddingOptions.builder().model(model.name()).dimensions(cut).build());
        EmbeddingModelObservationContext context = EmbeddingModelObservationContext.builder()
                .embeddingRequest(effective)
                .provider(PROVIDER)
                .build();
        return EmbeddingModelObservationDocumentation.EMBEDDING_MODEL_OPERATION
                .observation(observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .observe(() -> {
                    EmbeddingResponse response = encode(request.getInstructions(), cut, task);
                    context.setResponse(response);
                    return response;
                });
    }

    private EmbeddingResponse encode(List<String> texts, int cut, String task) {
        EncodeOptions options = encodeOptions(cut);
        EncodeResult result = model.encodeWithDetails(texts, task == null ? options : model.forTask(task, options));
        List<Embedding> embeddings = new ArrayList<>(texts.size());
        float[][] vectors = result.vectors();
        for (int i = 0; i < vectors.length; i++) {
            embeddings.add(new Embedding(vectors[i], i));
        }
        int tokens = model.tokenizer().settings().tokensRun(Arrays.stream(result.tokenCounts()));
        return new EmbeddingResponse(embeddings, new EmbeddingResponseMetadata(model.name(), new DefaultUsage(tokens, 0, tokens)));
    }

    private EncodeOptions encodeOptions(int cut) {
        EncodeOptions options = EncodeOptions.defaults().withBatchSize(batchSize);
        if (promptName != null) {
            options = options.withPromptName(promptName);
        }
        if (normalize != null) {
            options = options.withNormalize(normalize);
        }
        if (cut == model.dimension()) {
            return options;
        }
        checkDimensions(cut);
        options = options.withTruncateDim(cut);
        // A unit vector cut short is no longer unit length; sentence-transformers normalizes after truncating.
        boolean unitLength = normalize != null ? normalize : model.normalizes();
        return unitLength ? options.withNormalize(true) : options;
    }

    private void checkDimensions(int cut) {
        if (cut < 1 || cut > model.dimension()) {
            throw new IllegalArgumentException("dimensions must be between 1 and the " + model.dimension() + " of "
                    + model.name() + ", got " + cut);
        }
    }

    /**
     * Embeds the document's text, with its metadata as the metadata mode says, as a document to search:
     * as {@link SentenceTransformer#encodeDocument} encodes (the {@code document} route of a model with a
     * Router, the model's document prompt unless a prompt name is set). Without metadata it is the text
     * alone, not Spring AI's formatted content, which puts blank lines in front.
     */
    @Override
    public float[] embed(Document document) {
        return documents(List.of(content(document)), null).get(0);
    }

    /**
     * Embeds documents as {@link #embed(Document)} does, in the strategy's batches, in order: the path a
     * vector store takes when documents are added. Its queries ({@code embed(String)}) and plain
     * {@link #call} take the default route.
     */
    @Override
    public List<float[]> embed(List<Document> documents, EmbeddingOptions options, BatchingStrategy batchingStrategy) {
        List<float[]> vectors = new ArrayList<>(documents.size());
        for (List<Document> batch : batchingStrategy.batch(documents)) {
            vectors.addAll(documents(batch.stream().map(this::content).toList(), options));
        }
        return vectors;
    }

    private List<float[]> documents(List<String> texts, EmbeddingOptions options) {
        return call(new EmbeddingRequest(texts, options), "document").getResults().stream().map(Embedding::getOutput).toList();
    }

    private String content(Document document) {
        return metadataMode == MetadataMode.NONE ? document.getText() : document.getFormattedContent(metadataMode);
    }

    /** The length of the vectors: the default dimensions when set, else the model's; known without encoding. */
    @Override
    public int dimensions() {
        return dimensions != null ? dimensions : model.dimension();
    }

    /** The sentence4j model this adapter runs. */
    public SentenceTransformer sentenceTransformer() {
        return model;
    }

    /** How texts are encoded; every choice has a default. */
    public static final class Builder {
        private final SentenceTransformer model;
        private int batchSize = EncodeOptions.DEFAULT_BATCH_SIZE;
        private Boolean normalize;
        private String promptName;
        private Integer dimensions;
        private MetadataMode metadataMode = MetadataMode.NONE;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private EmbeddingModelObservationConvention observationConvention = DEFAULT_CONVENTION;

        private Builder(SentenceTransformer model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The most texts per transformer run (default 32). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Unit-length vectors forced on or off; {@code null} (the default) follows the model's Normalize module. */
        public Builder normalize(Boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** One of the model's prompts, by name, for every text; {@code null} for the model's default prompt. */
        public Builder promptName(String promptName) {
            this.promptName = promptName;
            return this;
        }

        /** Vectors of this many dimensions unless a request says otherwise; {@code null} for the model's. */
        public Builder dimensions(Integer dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /** Which of a document's metadata {@link #embed(Document)} embeds with its text (default none). */
        public Builder metadataMode(MetadataMode metadataMode) {
            this.metadataMode = Objects.requireNonNull(metadataMode, "metadataMode");
            return this;
        }

        /** Where each call is observed (default nowhere). */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** How observations are named and tagged (default Spring AI's). */
        public Builder observationConvention(EmbeddingModelObservationConvention convention) {
            this.observationConvention = Objects.requireNonNull(convention, "convention");
            return this;
        }

        /**
         * The embedding model.
         *
         * @throws IllegalArgumentException for a prompt name the model lacks or dimensions it cannot give
         */
        public Sentence4jEmbeddingModel build() {
            return new Sentence4jEmbeddingModel(this);
        }
    }
}
