package dev.sentence4j.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The models one server serves, and which of them answers a request: the one its {@code model} field
 * names, else the first. A model answers to its full name (its folder path or Hub id, as given) and,
 * unless another model shares it, to that name's last part ({@code all-MiniLM-L6-v2}). With one
 * model, any name is accepted, as TEI, which serves one, ignores the field.
 */
final class HostedModels implements AutoCloseable {
    private final List<HostedModel> models;
    private final List<String> names;
    private final Map<String, HostedModel> byName = new HashMap<>();

    HostedModels(List<HostedModel> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the server needs at least one model");
        }
        this.models = List.copyOf(models);
        Map<String, Long> shortNames = models.stream()
                .collect(Collectors.groupingBy(model -> shortName(model.served().name()), Collectors.counting()));
        List<String> primary = new ArrayList<>();
        for (HostedModel model : models) {
            String full = model.served().name();
            if (byName.putIfAbsent(full, model) != null) {
                throw new IllegalArgumentException("the model " + full + " is given twice; serve each model once");
            }
            String name = shortName(full);
            primary.add(shortNames.get(name) == 1 ? name : full);
        }
        for (HostedModel model : models) {
            String name = shortName(model.served().name());
            if (shortNames.get(name) == 1) {
                byName.putIfAbsent(name, model);
            }
        }
        this.names = List.copyOf(primary);
    }

    /** A folder's or Hub id's last part: {@code BAAI/bge-small-en-v1.5} is {@code bge-small-en-v1.5}. */
    static String shortName(String full) {
        String trimmed = full.replaceAll("[/\\\\]+$", "");
        int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
        return trimmed.substring(slash + 1);
    }

    /** Each model's name as clients should send it: its short name, or its full name where another shares the short one. */
    List<String> names() {
        return names;
    }

    /** Whether any model served here answers a path. */
    boolean anyAnswers(String path) {
        return models.stream().anyMatch(model -> model.handler(path) != null);
    }

    /**
     * Runs a route for the model a request names.
     *
     * @throws ApiException 404 for a model not served here, 424 for a model of a family that does not answer the route
     */
    CompletableFuture<Reply> run(ModelRoute route, JsonRequest request) {
        HostedModel model = select(request);
        HostedModel.Handler handler = model.handler(route.path());
        if (handler == null) {
            throw wrongFamily(route, model);
        }
        return model.run(handler, route.usesModel(), request);
    }

    /** The model a request's {@code model} field names, else the first. */
    HostedModel select(JsonRequest request) {
        String name = request.text("model").orElse(null);
        if (name == null || models.size() == 1) {
            return models.get(0);
        }
        HostedModel model = byName.get(name);
        if (model == null) {
            throw new ApiException(Failure.MODEL_NOT_FOUND, "the model '" + name + "' is not served here; this server serves "
                    + String.join(", ", names), request.name("model"));
        }
        return model;
    }

    /** 424, as TEI answers {@code /rerank} on an embedding model: which family the route needs, and who answers it. */
    private ApiException wrongFamily(ModelRoute route, HostedModel model) {
        String answers = model.paths().stream().filter(path -> !path.equals("/") && !path.equals("/tokenize")
                && !path.equals("/decode")).sorted().collect(Collectors.joining(", "));
        List<String> others = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).handler(route.path()) != null) {
                others.add(names.get(i));
            }
        }
        String message = route.path() + " needs a " + route.family().modelType() + " model; " + model.served().name()
                + " is a " + model.served().family().modelType() + ", which this server answers at " + answers
                + (others.isEmpty() ? "" : "; send \"model\": " + String.join(" or ", others) + " for " + route.path());
        return new ApiException(Failure.WRONG_MODEL, message, null);
    }

    @Override
    public void close() {
        models.forEach(HostedModel::close);
    }
}
