package dev.sentence4j.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The routes that describe every model the server serves: TEI's {@code GET /info} and OpenAI's
 * {@code GET /v1/models}.
 */
final class CatalogApi {
    private final byte[] info;
    private final byte[] models;

    /**
     * @param infos each model's TEI description, in the order served
     * @param names each model's name as clients send it, in the same order
     * @param created when the server started, in seconds since 1970, which OpenAI's list gives as each model's
     */
    CatalogApi(List<Map<String, Object>> infos, List<String> names, long created) {
        // TEI's fields describe the first model, the one a request that names none gets; "models" lists all.
        Map<String, Object> info = new LinkedHashMap<>(infos.get(0));
        List<Map<String, Object>> all = new ArrayList<>();
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", names.get(i));
            one.putAll(infos.get(i));
            all.add(one);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", names.get(i));
            model.put("object", "model");
            model.put("created", created);
            model.put("owned_by", "sentence4j");
            data.add(model);
        }
        info.put("models", all);
        this.info = ServerJson.bytes(info);
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        this.models = ServerJson.bytes(list);
    }

    /** {@code GET /info}: the first model and the server's limits in TEI's fields, and every model under {@code models}. */
    CompletableFuture<Reply> info(byte[] body) {
        return CompletableFuture.completedFuture(Reply.json(info));
    }

    /** {@code GET /v1/models}: {@code {"object": "list", "data": [{"id", "object": "model", "created", "owned_by"}]}}. */
    CompletableFuture<Reply> models(byte[] body) {
        return CompletableFuture.completedFuture(Reply.json(models));
    }
}
