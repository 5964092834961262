package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Vectors out of JSON and base64 replies. */
final class Vectors {
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
}
