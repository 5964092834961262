package dev.sentence4j;

import static dev.sentence4j.TinyFolders.module;

import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small Router models as sentence-transformers 6 saves them ({@code Router.for_query_document}): a
 * static route per task over the words {@code w0 ... w11}, each with its own random table, then
 * Normalize; inference-free SPLADE; two Transformer routes from the ST6 fixtures. Public so other
 * modules' tests (the server's) can serve one.
 */
public final class RouterFolders {
    static final String STATIC = "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding";
    static final String ROUTER = "sentence_transformers.base.modules.router.Router";
    static final int DIMENSION = 6;
    static final List<String> VOCABULARY = TinyFolders.vocabulary(12);
    static final float[] QUERY_TABLE = TinyFolders.random(VOCABULARY.size() * DIMENSION, 11);
    static final float[] DOCUMENT_TABLE = TinyFolders.random(VOCABULARY.size() * DIMENSION, 12);

    /** The SPLADE fixture {@link #inferenceFreeSplade} runs documents with, under {@code ../shared}. */
    static final String SPLADE = "fixtures/st6/models/splade-bert";
    /** The query route's tokenizer vocabulary, as large as the SPLADE fixture's. */
    static final List<String> SPARSE_WORDS = TinyFolders.vocabulary(1500 - TinyFolders.SPECIAL.size());
    /** The query route's weight per token id, all positive. */
    static final float[] SPARSE_WEIGHTS = positive(TinyFolders.random(SPARSE_WORDS.size(), 5));

    private RouterFolders() {}

    private static float[] positive(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i]) + 0.1f;
        }
        return values;
    }

    /**
     * Inference-free SPLADE as {@code SparseEncoder} saves it: a {@code SparseStaticEmbedding} query route
     * over {@code w0 ...}, and the shared SPLADE fixture (MLMTransformer, SpladePooling) as the document
     * route, its default.
     */
    public static Path inferenceFreeSplade(Path folder) {
        Path splade = Shared.path(SPLADE);
        Path query = folder.resolve("query_0_SparseStaticEmbedding");
        TinyFolders.writeTokenizer(query, SPARSE_WORDS);
        TinyFolders.writeWeights(query, Map.of("weight", new SafeTensors.Tensor(new long[] {SPARSE_WORDS.size()}, SPARSE_WEIGHTS)));
        TinyFolders.writeJson(query.resolve("config.json"), Map.of("frozen", false));
        copyTransformer(splade, folder.resolve("document_0_MLMTransformer"));
        try {
            Files.createDirectories(folder.resolve("document_1_SpladePooling"));
            Files.copy(splade.resolve("1_SpladePooling/config.json"), folder.resolve("document_1_SpladePooling/config.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> types = new LinkedHashMap<>();
        types.put("query_0_SparseStaticEmbedding",
                "sentence_transformers.sparse_encoder.modules.sparse_static_embedding.SparseStaticEmbedding");
        types.put("document_0_MLMTransformer", "sentence_transformers.sparse_encoder.modules.mlm_transformer.MLMTransformer");
        types.put("document_1_SpladePooling", "sentence_transformers.sparse_encoder.modules.splade_pooling.SpladePooling");
        TinyFolders.writeJson(folder.resolve("router_config.json"), Map.of("types", types,
                "structure", Map.of("query", List.of("query_0_SparseStaticEmbedding"),
                        "document", List.of("document_0_MLMTransformer", "document_1_SpladePooling")),
                "parameters", parameters("document")));
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(module(0, "", ROUTER)));
        TinyFolders.writeSentenceTransformersConfig(folder, "SparseEncoder", "dot");
        return folder;
    }

    /**
     * A query/document Router whose routes are Transformers, as {@code Router.for_query_document} saves
     * {@code SentenceTransformer([router, pooling])}: the ST6 fixture {@code queryModel} (a folder name under
     * {@code fixtures/st6/models}) in {@code query_0_Transformer}, {@code documentModel} in
     * {@code document_0_Transformer}, the default route, then the document fixture's mean Pooling. Both
     * fixtures must give vectors of one width.
     */
    public static Path transformerRoutes(Path folder, String queryModel, String documentModel) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, List<String>> structure = new LinkedHashMap<>();
        for (String route : List.of("query", "document")) {
            String id = route + "_0_Transformer";
            String model = route.equals("query") ? queryModel : documentModel;
            copyTransformer(Shared.path("fixtures/st6/models/" + model), folder.resolve(id));
            types.put(id, "sentence_transformers.base.modules.transformer.Transformer");
            structure.put(route, List.of(id));
        }
        TinyFolders.writeJson(folder.resolve("router_config.json"),
                Map.of("types", types, "structure", structure, "parameters", parameters("document")));
        try {
            Files.createDirectories(folder.resolve("1_Pooling"));
            Files.copy(Shared.path("fixtures/st6/models/" + documentModel + "/1_Pooling/config.json"),
                    folder.resolve("1_Pooling/config.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(module(0, "", ROUTER),
                module(1, "1_Pooling", "sentence_transformers.sentence_transformer.modules.pooling.Pooling")));
        TinyFolders.writeSentenceTransformersConfig(folder, "SentenceTransformer", "cosine");
        return folder;
    }

    /** A Transformer module's files, as {@code Transformer.save} writes them, with the ONNX export; no weights. */
    private static void copyTransformer(Path from, Path to) {
        try {
            for (String file : List.of("config.json", "sentence_bert_config.json", "tokenizer.json", "tokenizer_config.json",
                    "onnx/model.onnx")) {
                Files.createDirectories(to.resolve(file).getParent());
                Files.copy(from.resolve(file), to.resolve(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A query/document Router whose default route is {@code document}, written to {@code folder}. */
    public static Path queryDocument(Path folder) {
        return queryDocument(folder, "document");
    }

    /** A query/document Router with this default route, written to {@code folder}. */
    public static Path queryDocument(Path folder, String defaultRoute) {
        return write(folder, parameters(defaultRoute));
    }

    /** The {@code router_config.json} parameters {@code Router.for_query_document} saves. */
    private static Map<String, Object> parameters(String defaultRoute) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("default_route", defaultRoute);
        parameters.put("allow_empty_key", true);
        parameters.put("route_mappings", Map.of());
        return parameters;
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
