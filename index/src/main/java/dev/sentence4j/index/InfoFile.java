package dev.sentence4j.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.similarity.MultiVectorSimilarity;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The {@code sentence4j-index.json} file of an index folder, which holds its {@link IndexInfo}. */
final class InfoFile {
    static final String NAME = "sentence4j-index.json";
    /** Bumped when a change to the folder's layout makes older sentence4j unable to read it. */
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private InfoFile() {}

    /** The {@code family} of an index of a multi-vector model's token vectors; an index of sentence vectors has none. */
    static final String MULTI_VECTOR = "MultiVectorEncoder";

    static void write(Path folder, MultiVectorIndexInfo info) throws IOException {
        ObjectNode json = JSON.createObjectNode()
                .put("format", FORMAT)
                .put("family", MULTI_VECTOR)
                .put("model", info.model())
                .put("onnx_file", info.onnxFile())
                .put("dimension", info.dimension())
                .put("similarity_function", info.similarity().label())
                .put("count", info.count())
                .put("tokens", info.tokens());
        Files.writeString(folder.resolve(NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }

    /**
     * Reads the info of a folder holding a multi-vector index.
     *
     * @throws IndexException naming the folder when it is missing, not such an index, or the file is damaged
     */
    static MultiVectorIndexInfo readMultiVector(Path folder) {
        Path file = folder.resolve(NAME);
        JsonNode json = json(folder);
        if (!MULTI_VECTOR.equals(json.path("family").asText(null))) {
            throw new IndexException(folder + " holds sentence vectors, not a multi-vector model's token vectors; "
                    + "open it with VectorIndex");
        }
        try {
            long tokens = json.path("tokens").asLong(-1);
            if (tokens < 0) {
                throw damaged(file, "'tokens' is missing or not a whole number", null);
            }
            return new MultiVectorIndexInfo(text(json, "model", file), text(json, "onnx_file", file),
                    number(json, "dimension", file), MultiVectorSimilarity.fromName(text(json, "similarity_function", file)),
                    number(json, "count", file), tokens);
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage(), e);
        }
    }

    static void write(Path folder, IndexInfo info) throws IOException {
        ObjectNode json = JSON.createObjectNode()
                .put("format", FORMAT)
                .put("model", info.model())
                .put("onnx_file", info.onnxFile())
                .put("dimension", info.dimension())
                .put("similarity_function", info.similarity().label())
                .put("count", info.count());
        Files.writeString(folder.resolve(NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }

    /**
     * Reads the folder's index info.
     *
     * @throws IndexException naming the folder when it is missing, not an index, or the file is damaged
     */
    static IndexInfo read(Path folder) {
        Path file = folder.resolve(NAME);
        JsonNode json = json(folder);
        if (json.has("family")) {
            throw new IndexException(folder + " holds the token vectors of a multi-vector model ("
                    + json.path("family").asText() + "); open it with MultiVectorIndex");
        }
        try {
            // A static model runs no ONNX file: its index records null.
            String onnxFile = json.path("onnx_file").isNull() ? null : text(json, "onnx_file", file);
            return new IndexInfo(text(json, "model", file), onnxFile, number(json, "dimension", file),
                    SimilarityFunction.fromName(text(json, "similarity_function", file)), number(json, "count", file));
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage(), e);
        }
    }

    /** The folder's info file as JSON, its format checked. */
    private static JsonNode json(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IndexException("no index at " + folder + ": " + (Files.exists(folder)
                    ? "it is a file, not an index folder" : "the folder does not exist"));
        }
        Path file = folder.resolve(NAME);
        JsonNode json;
        try {
            json = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IndexException(folder + " is not a sentence4j index: it has no " + NAME, e);
        } catch (JsonProcessingException e) {
            throw damaged(file, "not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new IndexException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw damaged(file, "not a JSON object", null);
        }
        int format = number(json, "format", file);
        if (format != FORMAT) {
            throw new IndexException(file + ": index format " + format + " is not one this sentence4j reads (" + FORMAT
                    + "); rebuild the index");
        }
        return json;
    }

    private static String text(JsonNode json, String field, Path file) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw damaged(file, "'" + field + "' is missing or not a string", null);
        }
        return value.asText();
    }

    private static int number(JsonNode json, String field, Path file) {
        JsonNode value = json.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw damaged(file, "'" + field + "' is missing or not a whole number", null);
        }
        return value.asInt();
    }

    private static IndexException damaged(Path file, String what, Exception cause) {
        return new IndexException(file + " is damaged: " + what + "; rebuild the index", cause);
    }
}
