package dev.sentence4j.server;

import java.util.Map;

/**
 * A successful reply: status 200 with a body.
 *
 * @param headers extra headers, such as TEI's timings
 */
record Reply(String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";

    static Reply json(byte[] body) {
        return new Reply(JSON, body, Map.of());
    }

    static Reply json(byte[] body, Map<String, String> headers) {
        return new Reply(JSON, body, headers);
    }
}
