package dev.sentence4j.server;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.SentenceTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hugging Face Text Embeddings Inference's embedding routes: {@code /embed}, {@code /similarity} and
 * {@code /embed_all}, with TEI's request fields and reply shapes.
 */
final class TeiApi {
    private final SentenceTransformer model;
    private final Embedder embedder;
    private final BatchedRequests<String, EncodeOptions, float[][]> tokenVectors;
    private final ServerOptions options;

    /**
     * @param tokenVectors the model's token embeddings ({@link SentenceTransformer#encodeTokens}), batched
     */
    TeiApi(SentenceTransformer model, Embedder embedder, BatchedRequests<String, EncodeOptions, float[][]> tokenVectors,
            ServerOptions options) {
        this.model = model;
        this.embedder = embedder;
        this.tokenVectors = tokenVectors;
        this.options = options;
    }

    /**
     * {@code POST /}, where Hugging Face's InferenceClient sends both {@code feature_extraction} and
     * {@code sentence_similarity}: a similarity request when {@code inputs} holds a source sentence,
     * else an embed request.
     */
    CompletableFuture<Reply> root(JsonRequest request) {
        return request.hasObject("inputs") ? similarity(request) : embed(request);
    }

    /**
     * {@code POST /embed}: a list of vectors, one per input; {@code "task": "query"} or {@code "document"}
     * encodes as {@code encodeQuery}/{@code encodeDocument} do.
     */
    CompletableFuture<Reply> embed(JsonRequest request) {
        List<String> texts = request.texts("inputs", options.maxClientBatchSize());
        Embedder.Settings settings = new Embedder.Settings(truncate(request, options), embedder.promptName(request, "prompt_name"),
                request.bool("normalize").orElse(true), embedder.dimensions(request, "dimensions"), ServedModel.task(request, "task"));
        return embedder.embed(texts, settings, i -> "inputs[" + i + "]").thenApply(embedded -> Reply.json(
                ServerJson.bytes(json -> {
                    json.writeStartArray();
                    for (float[] vector : embedded.outputs()) {
                        ServerJson.floats(json, vector);
                    }
                    json.writeEndArray();
                }), embedded.headers()));
    }

    /**
     * {@code POST /similarity}: the score of the source sentence against each sentence, by the model's
     * similarity function; options go in {@code parameters}, as TEI takes them.
     */
    CompletableFuture<Reply> similarity(JsonRequest request) {
        JsonRequest inputs = request.object("inputs");
        List<String> texts = new ArrayList<>();
        texts.add(inputs.requiredText("source_sentence"));
        texts.addAll(inputs.texts("sentences", options.maxClientBatchSize()));
        JsonRequest parameters = request.object("parameters");
        Embedder.Settings settings = new Embedder.Settings(truncate(parameters, options), embedder.promptName(parameters, "prompt_name"),
                null, 0, null);
        return embedder.embed(texts, settings, i -> i == 0 ? "inputs.source_sentence" : "inputs.sentences[" + (i - 1) + "]")
                .thenApply(embedded -> {
                    float[][] vectors = embedded.outputs().toArray(float[][]::new);
                    float[] scores = model.similarity(new float[][] {vectors[0]}, Arrays.copyOfRange(vectors, 1, vectors.length))[0];
                    return Reply.json(ServerJson.bytes(json -> ServerJson.floats(json, scores)), embedded.headers());
                });
    }

    /**
     * {@code POST /embed_all}: each input's token embeddings, {@code [inputs][tokens][hidden]}, the
     * transformer's output before pooling, special tokens and prompt included, as TEI gives them.
     */
    CompletableFuture<Reply> embedAll(JsonRequest request) {
        List<String> texts = request.texts("inputs", options.maxClientBatchSize());
        boolean truncate = truncate(request, options);
        String promptName = embedder.promptName(request, "prompt_name");
        EncodeOptions encode = EncodeOptions.defaults().withMaxBatchTokens(EmbeddingServer.RUN_TOKENS)
                .withLongInputs(LongInputs.TRUNCATE);
        if (promptName != null) {
            encode = encode.withPromptName(promptName);
        }
        return tokenVectors.submit(texts, ServedModel.forTask(model, request, encode), truncate, i -> "inputs[" + i + "]")
                .thenApply(done -> Reply.json(tokenVectors(done.outputs()), done.headers()));
    }

    /** {@code /embed_all}'s reply body: each text's token vectors, {@code [texts][tokens][dimension]}. */
    static byte[] tokenVectors(List<float[][]> texts) {
        return ServerJson.bytes(json -> {
            json.writeStartArray();
            for (float[][] tokens : texts) {
                json.writeStartArray();
                for (float[] vector : tokens) {
                    ServerJson.floats(json, vector);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        });
    }

    /**
     * Whether to cut long inputs: the request's {@code truncate}, else the server's default. Only
     * cutting the end is supported, as sentence-transformers cuts. Every TEI route takes these fields.
     */
    static boolean truncate(JsonRequest request, ServerOptions options) {
        request.text("truncation_direction").ifPresent(direction -> {
            String name = request.name("truncation_direction");
            if (direction.equalsIgnoreCase("left")) {
                throw ApiException.invalid(name, "field '" + name + "': Left is not supported; sentence4j cuts long inputs"
                        + " at the end (Right), as sentence-transformers does");
            }
            if (!direction.equalsIgnoreCase("right")) {
                throw ApiException.invalid(name, "field '" + name + "' must be Right or Left, got '" + direction + "'");
            }
        });
        return request.bool("truncate").orElse(options.autoTruncate());
    }
}
