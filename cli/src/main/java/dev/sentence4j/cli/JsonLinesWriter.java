package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes vectors as JSON lines, {@code {"index":0,"embedding":[0.1,...]}}, numbered from 0 in order. */
final class JsonLinesWriter implements VectorWriter {
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            // The shortest text that reads back as the same float, not a long double expansion.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            // Each object ends its own line instead of Jackson's space between root values.
            .rootValueSeparator((String) null)
            .build();

    private final JsonGenerator json;
    private long index;

    private JsonLinesWriter(JsonGenerator json) {
        this.json = json;
    }

    /** Creates (or replaces) the file. */
    static JsonLinesWriter open(Path file) throws IOException {
        return new JsonLinesWriter(JSON.createGenerator(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), JsonEncoding.UTF8));
    }

    @Override
    public void write(float[] vector) throws IOException {
        json.writeStartObject();
        json.writeNumberField("index", index++);
        json.writeArrayFieldStart("embedding");
        for (float value : vector) {
            json.writeNumber(value);
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
