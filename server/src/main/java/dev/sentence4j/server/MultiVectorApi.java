package dev.sentence4j.server;

import dev.sentence4j.LongInputs;
import dev.sentence4j.MultiVectorEncodeOptions;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.multivector.TextRole;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A multi-vector (ColBERT) model behind Text Embeddings Inference's routes: {@code POST /rerank} scores
 * each text by MaxSim of the query's token vectors with the text's, and {@code POST /embed_all} returns
 * each input's token vectors, as {@link MultiVectorEncoder} gives them. Queries and documents of many
 * requests are batched together, each role with its own.
 */
final class MultiVectorApi {
    private final MultiVectorEncoder model;
    private final BatchedRequests<String, MultiVectorEncodeOptions, float[][]> requests;
    private final ServerOptions options;

    MultiVectorApi(MultiVectorEncoder model, BatchedRequests<String, MultiVectorEncodeOptions, float[][]> requests, ServerOptions options) {
        this.model = model;
        this.requests = requests;
        this.options = options;
    }

    /** What the batcher runs a request's inputs of a role with: its task ({@code query}, {@code document}). */
    private static MultiVectorEncodeOptions call(TextRole role) {
        return MultiVectorEncodeOptions.defaults().withMaxBatchTokens(EmbeddingServer.RUN_TOKENS)
                .withLongInputs(LongInputs.TRUNCATE).withTask(role.label());
    }

    /**
     * {@code POST /rerank}: {@code query} and {@code texts}, with {@code return_text}, {@code truncate} and
     * {@code truncation_direction}; the reply is {@code [{"index", "score", "text"?}]}, best first (equal
     * scores in the texts' order). The score is the model's similarity (MaxSim, or MeanMaxSim), which has no
     * activation: {@code raw_scores} changes nothing.
     */
    CompletableFuture<Reply> rerank(JsonRequest request) {
        String query = request.requiredText("query");
        List<String> texts = request.texts("texts", options.maxClientBatchSize());
        request.bool("raw_scores");
        boolean returnText = request.bool("return_text").orElse(false);
        boolean truncate = TeiApi.truncate(request, options);
        CompletableFuture<BatchedRequests.Done<float[][]>> queryVectors =
                requests.submit(List.of(query), call(TextRole.QUERY), truncate, i -> "query");
        CompletableFuture<BatchedRequests.Done<float[][]>> documents =
                requests.submit(texts, call(TextRole.DOCUMENT), truncate, i -> "texts[" + i + "]");
        return queryVectors.thenCombine(documents, (q, d) -> {
            float[] scores = model.similarity(q.outputs(), d.outputs())[0];
            return Reply.json(RerankApi.teiRanking(texts, scores, returnText), headers(q, d));
        });
    }

    /**
     * {@code POST /embed_all}: {@code inputs} (a text or a list), with {@code prompt_name}, {@code truncate} and
     * {@code truncation_direction}; the reply is each input's token vectors, {@code [[[...], ...], ...]}.
     * {@code prompt_name} {@code query} encodes the inputs as queries (the query prompt, expanded to the query
     * length); anything else, or none, as documents (the document prompt, length and skiplist).
     */
    CompletableFuture<Reply> embedAll(JsonRequest request) {
        List<String> texts = request.texts("inputs", options.maxClientBatchSize());
        boolean truncate = TeiApi.truncate(request, options);
        String promptName = request.text("prompt_name").orElse("document");
        if (!promptName.equals("query") && !promptName.equals("document") && !model.prompts().containsKey(promptName)) {
            String name = request.name("prompt_name");
            throw ApiException.invalid(name, "field '" + name + "' must be 'query' or 'document' for a multi-vector model"
                    + " (or one of its prompts " + model.prompts().keySet() + "), got '" + promptName + "'");
        }
        TextRole role = promptName.equals("query") ? TextRole.QUERY : TextRole.DOCUMENT;
        MultiVectorEncodeOptions call = call(role);
        if (!promptName.equals(role.label())) {
            call = call.withPromptName(promptName);
        }
        return requests.submit(texts, call, truncate, i -> "inputs[" + i + "]")
                .thenApply(done -> Reply.json(TeiApi.tokenVectors(done.outputs()), done.headers()));
    }

    /** TEI's timing headers of a reranking: both encodings' tokens and times together. */
    private static Map<String, String> headers(BatchedRequests.Done<float[][]> query, BatchedRequests.Done<float[][]> documents) {
        return BatchedRequests.Done.headers(query.tokens() + documents.tokens(), query.tokenizeNanos() + documents.tokenizeNanos(),
                Math.max(query.queuedNanos(), documents.queuedNanos()), Math.max(query.inferenceNanos(), documents.inferenceNanos()));
    }
}
