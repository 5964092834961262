package dev.sentence4j.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sentence4j.tokenize.TokenSpan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * Hugging Face Text Embeddings Inference's routes that every family of model answers from its
 * tokenizer and description, {@code /tokenize}, {@code /decode} and {@code /info}, with TEI's request
 * fields and reply shapes.
 */
final class TeiInfoApi {
    private final ServedModel model;
    private final ServerOptions options;
    private final Map<String, Object> info;

    /**
     * @param handlerThreads the threads that parse and tokenize requests, which {@code /info} reports
     */
    TeiInfoApi(ServedModel model, ServerOptions options, int handlerThreads) {
        this.model = model;
        this.options = options;
        this.info = info(handlerThreads);
    }

    /**
     * {@code POST /tokenize}: each input's tokens, as TEI gives them: id, text, whether special, and
     * for tokens read from the input, their start and stop in code points of the input (prompt included).
     */
    CompletableFuture<Reply> tokenize(JsonRequest request) {
        List<String> texts = request.texts("inputs", options.maxClientBatchSize());
        boolean special = request.bool("add_special_tokens").orElse(true);
        List<String> inputs = model.prompted(model.promptName(request, "prompt_name"), texts);
        return CompletableFuture.completedFuture(Reply.json(ServerJson.bytes(json -> {
            json.writeStartArray();
            for (String input : inputs) {
                writeTokens(json, input, model.tokenizer().spans(input, special));
            }
            json.writeEndArray();
        })));
    }

    private static void writeTokens(JsonGenerator json, String input, List<TokenSpan> spans) throws IOException {
        int[] charAt = input.codePoints().map(Character::charCount).toArray();
        int[] charOffsets = new int[charAt.length + 1];
        for (int i = 0; i < charAt.length; i++) {
            charOffsets[i + 1] = charOffsets[i] + charAt[i];
        }
        json.writeStartArray();
        for (TokenSpan span : spans) {
            boolean read = !span.special() && span.start() >= 0;
            json.writeStartObject();
            json.writeNumberField("id", span.id());
            json.writeStringField("text", read ? input.substring(charOffsets[span.start()], charOffsets[span.end()]) : span.token());
            json.writeBooleanField("special", span.special());
            if (read) {
                json.writeNumberField("start", span.start());
                json.writeNumberField("stop", span.end());
            } else {
                json.writeNullField("start");
                json.writeNullField("stop");
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /**
     * {@code POST /decode}: the text of each list of token ids in {@code ids} (one list, or a list of
     * them), with {@code skip_special_tokens} (default true), as TEI gives it.
     */
    CompletableFuture<Reply> decode(JsonRequest request) {
        List<long[]> ids = request.tokenIds("ids", options.maxClientBatchSize());
        boolean skipSpecial = request.bool("skip_special_tokens").orElse(true);
        return CompletableFuture.completedFuture(Reply.json(ServerJson.bytes(json -> {
            json.writeStartArray();
            for (long[] one : ids) {
                json.writeString(model.tokenizer().decode(one, skipSpecial));
            }
            json.writeEndArray();
        })));
    }

    /** What {@code GET /info} says of the model and the server's limits, in TEI's fields. */
    Map<String, Object> info() {
        return info;
    }

    private Map<String, Object> info(int handlerThreads) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_id", model.name());
        info.put("model_sha", null);
        info.put("model_dtype", dtype(model.onnxFile()));
        info.put("model_type", model.modelType());
        info.put("max_concurrent_requests", options.maxConcurrentRequests());
        info.put("max_input_length", model.maxSeqLength());
        info.put("max_batch_tokens", options.maxBatchTokens());
        info.put("max_batch_requests", null);
        info.put("max_client_batch_size", options.maxClientBatchSize());
        info.put("auto_truncate", options.autoTruncate());
        info.put("tokenization_workers", handlerThreads);
        info.put("version", version());
        info.put("sha", null);
        info.put("docker_label", null);
        return info;
    }

    /**
     * Hugging Face's int8 exports all say so in their file names (model_quantized, model_qint8_avx2, ...);
     * a model without an ONNX file (a static one) runs float32 tables.
     */
    private static String dtype(String onnxFile) {
        String name = onnxFile == null ? "" : onnxFile.toLowerCase(Locale.ROOT);
        return name.contains("quant") || name.contains("int8") ? "int8" : "float32";
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = TeiInfoApi.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
