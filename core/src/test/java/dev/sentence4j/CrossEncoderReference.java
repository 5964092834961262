package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cross-encoder of {@code shared/fixtures/st6} and what sentence-transformers 6.0.1 returned for
 * its reference pairs, for the tests of every module that runs it.
 */
public final class CrossEncoderReference {
    private CrossEncoderReference() {}

    /** The model folder, as {@code CrossEncoder.save()} wrote it. */
    public static Path folder() {
        return Shared.path("fixtures/st6/models/cross-encoder-bert");
    }

    /** The 17 (query, document) pairs; several share the first pair's query. */
    public static List<TextPair> pairs() throws IOException {
        List<TextPair> pairs = new ArrayList<>();
        for (JsonNode pair : new ObjectMapper().readTree(reference("pairs.json").toFile())) {
            pairs.add(new TextPair(pair.get(0).textValue(), pair.get(1).textValue()));
        }
        return pairs;
    }

    /** {@code CrossEncoder.predict(pairs)}: the sigmoid of each pair's logit. */
    public static float[] scores(int pairs) throws IOException {
        return vector(reference("scores.npy"), pairs);
    }

    /** {@code CrossEncoder.predict(pairs)} with the identity activation: the raw logits. */
    public static float[] logits(int pairs) throws IOException {
        return vector(reference("logits.npy"), pairs);
    }

    private static Path reference(String suffix) {
        return Shared.path("fixtures/st6/reference/cross-encoder-bert.public." + suffix);
    }

    /** A 1-D {@code <f4} .npy file: its values follow the header, at the end of the file. */
    private static float[] vector(Path file, int length) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 0, Math.min(bytes.length, 128), StandardCharsets.ISO_8859_1);
        assertThat(header).contains("'<f4'").contains("(" + length + ",)");
        float[] values = new float[length];
        ByteBuffer.wrap(bytes, bytes.length - length * Float.BYTES, length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(values);
        return values;
    }
}
