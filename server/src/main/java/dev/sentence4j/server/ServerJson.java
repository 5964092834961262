package dev.sentence4j.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The server's JSON reading and writing: Jackson, with fast float parsing and printing. */
final class ServerJson {
    /**
     * Java 17's Float.toString is slow and vectors are mostly floats; Jackson's own shortest-digits
     * writer prints the same values several times faster. A body with anything after its JSON value is
     * refused rather than half read.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Writes a reply through a generator. */
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private ServerJson() {}

    /** A value (maps, lists, strings, numbers) as JSON bytes. */
    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the writer writes, as JSON bytes. */
    static byte[] bytes(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One vector as a JSON list of numbers. */
    static void floats(JsonGenerator json, float[] vector) throws IOException {
        json.writeStartArray(vector, vector.length);
        for (float value : vector) {
            json.writeNumber(value);
        }
        json.writeEndArray();
    }
}
