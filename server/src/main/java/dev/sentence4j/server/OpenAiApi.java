package dev.sentence4j.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** OpenAI's embeddings route, {@code POST /v1/embeddings}, as its clients call it. */
final class OpenAiApi {
    private final SentenceTransformer model;
    private final Embedder embedder;
    private final ServerOptions options;

    OpenAiApi(SentenceTransformer model, Embedder embedder, ServerOptions options) {
        this.model = model;
        this.embedder = embedder;
        this.options = options;
    }

    /**
     * One embedding per input, unit length (as OpenAI's are, and as TEI serves this route), as a list of
     * numbers or, with {@code "encoding_format": "base64"}, as little-endian float32 bytes in base64.
     * The request's {@code model} has chosen the model already.
     */
    CompletableFuture<Reply> embeddings(JsonRequest request) {
        List<String> texts = request.texts("input", options.maxClientBatchSize());
        request.text("model");
        request.text("user");
        boolean base64 = base64(request);
        Embedder.Settings settings = new Embedder.Settings(options.autoTruncate(), null, true, embedder.dimensions(request, "dimensions"));
        return embedder.embed(texts, settings, i -> "input[" + i + "]").thenApply(embedded -> Reply.json(
                ServerJson.bytes(json -> {
                    json.writeStartObject();
                    json.writeStringField("object", "list");
                    json.writeArrayFieldStart("data");
                    List<float[]> vectors = embedded.outputs();
                    for (int i = 0; i < vectors.size(); i++) {
                        writeEmbedding(json, vectors.get(i), i, base64);
                    }
                    json.writeEndArray();
                    json.writeStringField("model", model.name());
                    json.writeObjectFieldStart("usage");
                    json.writeNumberField("prompt_tokens", embedded.tokens());
                    json.writeNumberField("total_tokens", embedded.tokens());
                    json.writeEndObject();
                    json.writeEndObject();
                }), embedded.headers()));
    }

    private static boolean base64(JsonRequest request) {
        String format = request.text("encoding_format").orElse("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.invalid("encoding_format", "field 'encoding_format' must be float or base64, got '" + format + "'");
        }
        return format.equals("base64");
    }

    private static void writeEmbedding(JsonGenerator json, float[] vector, int index, boolean base64) throws IOException {
        json.writeStartObject();
        json.writeStringField("object", "embedding");
        if (base64) {
            ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(vector);
            json.writeStringField("embedding", Base64.getEncoder().encodeToString(bytes.array()));
        } else {
            json.writeFieldName("embedding");
            ServerJson.floats(json, vector);
        }
        json.writeNumberField("index", index);
        json.writeEndObject();
    }
}
