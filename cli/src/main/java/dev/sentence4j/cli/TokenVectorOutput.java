package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.sentence4j.io.Npy;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code encode} writes a multi-vector model's token vectors, one {@code [tokens][dim]} block per
 * text, in order: JSON lines, {@code {"index":i,"tokens":n,"embeddings":[[...],...]}}; or two NumPy files,
 * {@code FILE.npy} holding every text's token vectors one after another ({@code [total tokens, dim]}
 * float32) and {@code FILE.offsets.npy} saying where each text's rows start ({@code [texts + 1]} int64:
 * text {@code i} is rows {@code offsets[i]} to {@code offsets[i + 1]}).
 */
interface TokenVectorOutput extends AutoCloseable {
    /** Appends the next text's token vectors. */
    void write(float[][] block) throws IOException;

    @Override
    void close() throws IOException;

    /** The offsets file beside a {@code .npy} of token vectors: {@code tokens.npy} gives {@code tokens.offsets.npy}. */
    static Path offsetsFile(Path vectors) {
        String name = vectors.getFileName().toString();
        return vectors.resolveSibling(name.substring(0, name.length() - ".npy".length()) + ".offsets.npy");
    }

    /** JSON lines in {@code file}. */
    static TokenVectorOutput jsonLines(Path file) throws IOException {
        JsonFactory factory = new JsonFactoryBuilder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .rootValueSeparator((String) null).build();
        JsonGenerator json = factory.createGenerator(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16),
                JsonEncoding.UTF8);
        return new TokenVectorOutput() {
            private long index;

            @Override
            public void write(float[][] block) throws IOException {
                json.writeStartObject();
                json.writeNumberField("index", index++);
                json.writeNumberField("tokens", block.length);
                json.writeArrayFieldStart("embeddings");
                for (float[] vector : block) {
                    json.writeStartArray();
                    for (float value : vector) {
                        json.writeNumber(value);
                    }
                    json.writeEndArray();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeRaw('\n');
            }

            @Override
            public void close() throws IOException {
                json.close();
            }
        };
    }

    /** The vectors' {@code .npy} in {@code vectors} and the offsets' in {@code offsets}. */
    static TokenVectorOutput npy(Path vectors, Path offsets, int dimension) throws IOException {
        Npy.Writer matrix = Npy.Writer.openGrowing(vectors, dimension);
        return new TokenVectorOutput() {
            private final List<Long> starts = new ArrayList<>(List.of(0L));

            @Override
            public void write(float[][] block) throws IOException {
                for (float[] vector : block) {
                    matrix.write(vector);
                }
                starts.add(starts.get(starts.size() - 1) + block.length);
            }

            @Override
            public void close() throws IOException {
                matrix.close();
                Npy.write(offsets, starts.stream().mapToLong(Long::longValue).toArray());
            }
        };
    }
}
