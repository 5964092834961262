package dev.sentence4j.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** How an API writes an error: TEI's flat object, or OpenAI's nested one. */
enum ErrorFormat {
    /** {@code {"error": message, "error_type": type}}. */
    TEI {
        @Override
        Object body(ApiException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("error_type", e.failure().teiType());
            return body;
        }
    },
    /** {@code {"error": {"message", "type", "param", "code"}}}. */
    OPENAI {
        @Override
        Object body(ApiException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", e.getMessage());
            error.put("type", e.failure().openAiType());
            error.put("param", e.param());
            error.put("code", e.failure().code());
            return Map.of("error", error);
        }
    };

    /** The error as a value to write as JSON. */
    abstract Object body(ApiException e);

    /** The format of the API a path belongs to: OpenAI's for its routes, TEI's for every other. */
    static ErrorFormat forPath(String path) {
        return path != null && (path.startsWith("/v1/") || path.equals("/embeddings")) ? OPENAI : TEI;
    }

    /** Writes the error as the reply: its status, and its body in this format. */
    void write(Response response, Callback callback, ApiException e) {
        Map<String, String> headers = e.failure() == Failure.UNAUTHORIZED ? Map.of("WWW-Authenticate", "Bearer") : Map.of();
        Routes.write(response, callback, e.failure().status(), Reply.JSON, ServerJson.bytes(body(e)), headers);
    }
}
