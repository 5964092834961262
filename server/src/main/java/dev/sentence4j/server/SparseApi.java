package dev.sentence4j.server;

import dev.sentence4j.LongInputs;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseEncodeOptions;
import dev.sentence4j.SparseVector;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Hugging Face Text Embeddings Inference's {@code POST /embed_sparse}, answered by a SparseEncoder (SPLADE). */
final class SparseApi {
    private final SparseEncoder model;
    private final ServedModel served;
    private final BatchedRequests<String, SparseEncodeOptions, SparseVector> requests;
    private final ServerOptions options;

    SparseApi(SparseEncoder model, ServedModel served, BatchedRequests<String, SparseEncodeOptions, SparseVector> requests, ServerOptions options) {
        this.model = model;
        this.served = served;
        this.requests = requests;
        this.options = options;
    }

    /**
     * {@code POST /embed_sparse}: {@code inputs} (a text or a list), with {@code prompt_name}, {@code task}
     * ({@code query} or {@code document}, as {@code encodeQuery}/{@code encodeDocument}),
     * {@code truncate} and {@code truncation_direction}; the reply holds each input's non-zero entries,
     * {@code [[{"index", "value"}, ...], ...]}, by increasing index.
     */
    CompletableFuture<Reply> embedSparse(JsonRequest request) {
        List<String> texts = request.texts("inputs", options.maxClientBatchSize());
        boolean truncate = TeiApi.truncate(request, options);
        String promptName = served.promptName(request, "prompt_name");
        SparseEncodeOptions encode = SparseEncodeOptions.defaults().withMaxBatchTokens(EmbeddingServer.RUN_TOKENS)
                .withLongInputs(LongInputs.TRUNCATE);
        if (promptName != null) {
            encode = encode.withPromptName(promptName);
        }
        return requests.submit(texts, ServedModel.forTask(model, request, encode), truncate, i -> "inputs[" + i + "]")
                .thenApply(done -> Reply.json(ServerJson.bytes(json -> {
                    json.writeStartArray();
                    for (SparseVector vector : done.outputs()) {
                        json.writeStartArray();
                        for (int k = 0; k < vector.size(); k++) {
                            json.writeStartObject();
                            json.writeNumberField("index", vector.indices()[k]);
                            json.writeNumberField("value", vector.values()[k]);
                            json.writeEndObject();
                        }
                        json.writeEndArray();
                    }
                    json.writeEndArray();
                }), done.headers()));
    }
}
