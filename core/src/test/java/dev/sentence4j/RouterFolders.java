package dev.sentence4j;

import static dev.sentence4j.TinyFolders.module;

import dev.sentence4j.weights.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small Router model as sentence-transformers 6 saves it ({@code Router.for_query_document}): a
 * static route per task over the words {@code w0 ... w11}, each with its own random table, then
 * Normalize. Public so other modules' tests (the server's) can serve one.
 */
public final class RouterFolders {
    static final String STATIC = "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding";
    static final String ROUTER = "sentence_transformers.base.modules.router.Router";
    static final int DIMENSION = 6;
    static final List<String> VOCABULARY = TinyFolders.vocabulary(12);
    static final float[] QUERY_TABLE = TinyFolders.random(VOCABULARY.size() * DIMENSION, 11);
    static final float[] DOCUMENT_TABLE = TinyFolders.random(VOCABULARY.size() * DIMENSION, 12);

    private RouterFolders() {}

    /** A query/document Router whose default route is {@code document}, written to {@code folder}. */
    public static Path queryDocument(Path folder) {
        return queryDocument(folder, "document");
    }

    /** A query/document Router with this default route, written to {@code folder}. */
    public static Path queryDocument(Path folder, String defaultRoute) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("default_route", defaultRoute);
        parameters.put("allow_empty_key", true);
        parameters.put("route_mappings", Map.of());
        return write(folder, parameters);
    }

    /** The Router folder with these {@code router_config.json} parameters. */
    static Path write(Path folder, Map<String, Object> parameters) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, List<String>> structure = new LinkedHashMap<>();
        for (String route : List.of("query", "document")) {
            String id = route + "_0_StaticEmbedding";
            types.put(id, STATIC);
            structure.put(route, List.of(id));
            TinyFolders.writeTokenizer(folder.resolve(id), VOCABULARY);
            TinyFolders.writeWeights(folder.resolve(id), Map.of("embedding.weight", new SafeTensors.Tensor(
                    new long[] {VOCABULARY.size(), DIMENSION}, route.equals("query") ? QUERY_TABLE : DOCUMENT_TABLE)));
        }
        TinyFolders.writeJson(folder.resolve("router_config.json"),
                Map.of("types", types, "structure", structure, "parameters", parameters));
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(module(0, "", ROUTER),
                module(1, "1_Normalize", "sentence_transformers.base.modules.normalize.Normalize")));
        TinyFolders.writeSentenceTransformersConfig(folder, "SentenceTransformer", "cosine");
        return folder;
    }
}
