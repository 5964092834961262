package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.sentence4j.SparseVector;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes vectors as JSON lines, {@code {"index":0,"embedding":[0.1,...]}}, numbered from 0 in order;
 * quantized vectors as integers, signed or unsigned as their precision says; sparse vectors as their
 * entries, {@code {"index":0,"indices":[7,1012],"values":[0.4,1.3]}}.
 */
final class JsonLinesWriter implements VectorWriter {
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            // The shortest text that reads back as the same float, not a long double expansion.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            // Each object ends its own line instead of Jackson's space between root values.
            .rootValueSeparator((String) null)
            .build();

    private final JsonGenerator json;
    private final boolean unsigned;
    private long index;

    private JsonLinesWriter(JsonGenerator json, boolean unsigned) {
        this.json = json;
        this.unsigned = unsigned;
    }

    /** Creates (or replaces) the file; {@code unsigned} bytes are written as 0 to 255. */
    static JsonLinesWriter open(Path file, boolean unsigned) throws IOException {
        return new JsonLinesWriter(JSON.createGenerator(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), JsonEncoding.UTF8), unsigned);
    }

    @Override
    public void write(float[] vector) throws IOException {
        start();
        for (float value : vector) {
            json.writeNumber(value);
        }
        end();
    }

    @Override
    public void write(byte[] vector) throws IOException {
        start();
        for (byte value : vector) {
            json.writeNumber(unsigned ? value & 0xff : value);
        }
        end();
    }

    /** Appends the next sparse vector. */
    void write(SparseVector vector) throws IOException {
        json.writeStartObject();
        json.writeNumberField("index", index++);
        json.writeFieldName("indices");
        json.writeArray(vector.indices(), 0, vector.size());
        json.writeArrayFieldStart("values");
        for (float value : vector.values()) {
            json.writeNumber(value);
        }
        end();
    }

    private void start() throws IOException {
        json.writeStartObject();
        json.writeNumberField("index", index++);
        json.writeArrayFieldStart("embedding");
    }

    private void end() throws IOException {
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
