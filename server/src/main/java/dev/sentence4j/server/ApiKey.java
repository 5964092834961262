package dev.sentence4j.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/** The server's API key, and the one check of a request's bearer token against it, for HTTP and gRPC alike. */
final class ApiKey {
    private final byte[] key;

    ApiKey(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Why a request is refused, or {@code null} when its key is right.
     *
     * @param authorization the request's {@code Authorization} value, or {@code null} when it has none
     * @param howToSend how the protocol carries the key, for the message
     */
    String refusal(String authorization, String howToSend) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return "this server needs an API key: send " + howToSend;
        }
        byte[] given = authorization.substring("bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        // Constant time: how long a comparison takes must not tell how much of a guess was right.
        return MessageDigest.isEqual(given, key) ? null : "the API key is wrong";
    }
}
