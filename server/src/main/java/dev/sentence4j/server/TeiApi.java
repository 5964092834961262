package dev.sentence4j.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.pool.PoolingMode;
import dev.sentence4j.tokenize.TokenSpan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Hugging Face Text Embeddings Inference's routes: {@code /embed}, {@code /similarity},
 * {@code /tokenize} and {@code /info}, with TEI's request fields and reply shapes.
 */
final class TeiApi {
    private final SentenceTransformer model;
    private final Embedder embedder;
    private final ServerOptions options;
    private final byte[] info;

    /**
     * @param handlerThreads the threads that parse and tokenize requests, which {@code /info} reports
     */
    TeiApi(SentenceTransformer model, Embedder embedder, ServerOptions options, int handlerThreads) {
        this.model = model;
        this.embedder = embedder;
        this.options = options;
        this.info = ServerJson.bytes(info(handlerThreads));
    }

    /**
     * {@code POST /}, where Hugging Face's InferenceClient sends both {@code feature_extraction} and
     * {@code sentence_similarity}: a similarity request when {@code inputs} holds a source sentence,
     * else an embed request.
     */
    CompletableFuture<Reply> root(byte[] body) {
        JsonRequest request = JsonRequest.parse(body);
        return request.hasObject("inputs") ? similarity(request) : embed(request);
    }

    /** {@code POST /embed}: a list of vectors, one per input. */
    CompletableFuture<Reply> embed(byte[] body) {
        return embed(JsonRequest.parse(body));
    }

    private CompletableFuture<Reply> embed(JsonRequest request) {
        List<String> texts = request.texts("inputs", options.maxClientBatchSize());
        Embedder.Settings settings = new Embedder.Settings(truncate(request), embedder.promptName(request, "prompt_name"),
                request.bool("normalize").orElse(true), embedder.dimensions(request, "dimensions"));
        return embedder.embed(texts, settings, i -> "inputs[" + i + "]").thenApply(embedded -> Reply.json(
                ServerJson.bytes(json -> {
                    json.writeStartArray();
                    for (float[] vector : embedded.vectors()) {
                        ServerJson.floats(json, vector);
                    }
                    json.writeEndArray();
                }), embedded.headers()));
    }

    /**
     * {@code POST /similarity}: the score of the source sentence against each sentence, by the model's
     * similarity function; options go in {@code parameters}, as TEI takes them.
     */
    CompletableFuture<Reply> similarity(byte[] body) {
        return similarity(JsonRequest.parse(body));
    }

    private CompletableFuture<Reply> similarity(JsonRequest request) {
        JsonRequest inputs = request.object("inputs");
        List<String> texts = new ArrayList<>();
        texts.add(inputs.requiredText("source_sentence"));
        texts.addAll(inputs.texts("sentences", options.maxClientBatchSize()));
        JsonRequest parameters = request.object("parameters");
        Embedder.Settings settings = new Embedder.Settings(truncate(parameters), embedder.promptName(parameters, "prompt_name"),
                null, 0);
        return embedder.embed(texts, settings, i -> i == 0 ? "inputs.source_sentence" : "inputs.sentences[" + (i - 1) + "]")
                .thenApply(embedded -> {
                    float[][] vectors = embedded.vectors();
                    float[] scores = model.similarity(new float[][] {vectors[0]}, Arrays.copyOfRange(vectors, 1, vectors.length))[0];
                    return Reply.json(ServerJson.bytes(json -> ServerJson.floats(json, scores)), embedded.headers());
                });
    }

    /**
     * {@code POST /tokenize}: each input's tokens, as TEI gives them: id, text, whether special, and
     * for tokens read from the input, their start and stop in code points of the input (prompt included).
     */
    CompletableFuture<Reply> tokenize(byte[] body) {
        JsonRequest request = JsonRequest.parse(body);
        List<String> texts = request.texts("inputs", options.maxClientBatchSize());
        boolean special = request.bool("add_special_tokens").orElse(true);
        String prompt = model.prompt(EncodeOptions.defaults().withPromptName(embedder.promptName(request, "prompt_name")))
                .orElse(null);
        return CompletableFuture.completedFuture(Reply.json(ServerJson.bytes(json -> {
            json.writeStartArray();
            for (String text : texts) {
                String input = prompt == null ? text : prompt + text;
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

    /** {@code GET /info}: the model and the server's limits, in TEI's fields. */
    CompletableFuture<Reply> info(byte[] body) {
        return CompletableFuture.completedFuture(Reply.json(info));
    }

    /**
     * Whether to cut long inputs: the request's {@code truncate}, else the server's default. Only
     * cutting the end is supported, as sentence-transformers cuts.
     */
    private boolean truncate(JsonRequest request) {
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

    private Map<String, Object> info(int handlerThreads) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_id", model.name());
        info.put("model_sha", null);
        info.put("model_dtype", dtype(model.onnxFile()));
        info.put("model_type", Map.of("embedding", Map.of("pooling",
                model.pooling().modes().stream().map(PoolingMode::label).collect(Collectors.joining("+")))));
        info.put("max_concurrent_requests", options.maxConcurrentRequests());
        info.put("max_input_length", model.tokenizer().settings().maxSeqLength());
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

    /** Hugging Face's int8 exports all say so in their file names (model_quantized, model_qint8_avx2, ...). */
    private static String dtype(String onnxFile) {
        String name = onnxFile.toLowerCase(Locale.ROOT);
        return name.contains("quant") || name.contains("int8") ? "int8" : "float32";
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = TeiApi.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
