package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Vectors out of JSON replies, compared with what the model gives. */
final class Vectors {
    /** The largest difference per element a reply may show against {@code encode}: the reference files' own bound. */
    static final float TOLERANCE = 1e-5f;

    private Vectors() {}

    /** A JSON list of lists of numbers as rows. */
    static float[][] rows(JsonNode lists) {
        float[][] rows = new float[lists.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(lists.get(i));
        }
        return rows;
    }

    static float[] row(JsonNode list) {
        float[] row = new float[list.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = list.get(i).floatValue();
        }
        return row;
    }

    /** OpenAI's base64 encoding: little-endian float32 bytes. */
    static float[] fromBase64(String text) {
        byte[] bytes = Base64.getDecoder().decode(text);
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    static void assertClose(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("vector %d", i).containsExactly(expected[i], within(TOLERANCE));
        }
    }
}
