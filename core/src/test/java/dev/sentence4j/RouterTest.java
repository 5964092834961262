package dev.sentence4j;

import static dev.sentence4j.TinyFolders.ids;
import static dev.sentence4j.TinyFolders.module;
import static dev.sentence4j.TinyFolders.row;
import static dev.sentence4j.TinyFolders.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Router models as sentence-transformers 6 saves them (a Router at the root, its routes' modules in
 * folders named {@code <route>_<index>_<Class>}, {@code router_config.json}): queries and documents take
 * their own routes, checked against each route's table computed here; and an inference-free SPLADE
 * model, whose query route looks weights up and whose document route is the real SPLADE fixture.
 */
class RouterTest {
    private static final String STATIC = "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding";
    private static final String SPARSE_STATIC =
            "sentence_transformers.sparse_encoder.modules.sparse_static_embedding.SparseStaticEmbedding";
    private static final String ROUTER = "sentence_transformers.base.modules.router.Router";
    private static final int DIMENSION = 6;
    private static final List<String> VOCABULARY = TinyFolders.vocabulary(12);
    private static final float[] QUERY_TABLE = TinyFolders.random(VOCABULARY.size() * DIMENSION, 11);
    private static final float[] DOCUMENT_TABLE = TinyFolders.random(VOCABULARY.size() * DIMENSION, 12);
    private static final List<String> TEXTS = List.of("w1 w2", "w3 w3 w11", "w0");

    @TempDir
    Path temp;

    /** A Router of two static routes, then Normalize, as Router.for_query_document saves it. */
    private Path asymmetric(String name, Map<String, Object> parameters) {
        Path folder = temp.resolve(name);
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

    private static Map<String, Object> forQueryDocument() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("default_route", "document");
        parameters.put("allow_empty_key", true);
        parameters.put("route_mappings", Map.of());
        return parameters;
    }

    private static float[][] expected(float[] table) {
        float[][] vectors = new float[TEXTS.size()][];
        for (int i = 0; i < vectors.length; i++) {
            int[] ids = ids(VOCABULARY, TEXTS.get(i));
            float[] mean = new float[DIMENSION];
            for (int id : ids) {
                float[] vector = row(table, DIMENSION, id);
                for (int d = 0; d < DIMENSION; d++) {
                    mean[d] += vector[d] / ids.length;
                }
            }
            vectors[i] = unit(mean);
        }
        return vectors;
    }

    @Test
    void queriesAndDocumentsTakeTheirRoutesAndEncodeTheDefaultOne() {
        try (SentenceTransformer model = SentenceTransformer.load(asymmetric("asym", forQueryDocument()).toString())) {
            VectorAssertions.assertClose(model.encodeQuery(TEXTS), expected(QUERY_TABLE), 1e-6);
            VectorAssertions.assertClose(model.encodeDocument(TEXTS), expected(DOCUMENT_TABLE), 1e-6);
            VectorAssertions.assertClose(model.encode(TEXTS), expected(DOCUMENT_TABLE), 1e-6);
            VectorAssertions.assertClose(model.encode(TEXTS, EncodeOptions.defaults().withTask("query")),
                    expected(QUERY_TABLE), 1e-6);
            VectorAssertions.assertClose(model.encode(TEXTS, model.forTask("query", EncodeOptions.defaults())),
                    expected(QUERY_TABLE), 1e-6);
            assertThat(model.routes()).containsExactly("query", "document");
            assertThat(model.describe().defaultRoute()).isEqualTo("document");
            assertThat(model.describe().normalizes()).isTrue();

            assertThatThrownBy(() -> model.encode(TEXTS, EncodeOptions.defaults().withTask("classification")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'classification'").hasMessageContaining("[query, document]");
        }
    }

    @Test
    void routeMappingsComeBeforeTheRoutesNames() {
        Map<String, Object> parameters = forQueryDocument();
        // Queries go down the document route: a mapping wins over a route of the task's name.
        parameters.put("route_mappings", Map.of("('query', None)", "document", "(None, 'text')", "query"));
        parameters.remove("default_route");
        try (SentenceTransformer model = SentenceTransformer.load(asymmetric("mapped", parameters).toString())) {
            VectorAssertions.assertClose(model.encodeQuery(TEXTS), expected(DOCUMENT_TABLE), 1e-6);
            // No (document, ...) mapping: (None, 'text') takes any other task, and no task.
            VectorAssertions.assertClose(model.encodeDocument(TEXTS), expected(QUERY_TABLE), 1e-6);
            VectorAssertions.assertClose(model.encode(TEXTS), expected(QUERY_TABLE), 1e-6);
        }
    }

    @Test
    void anOlderAsymFolderLoadsAsARouter() throws IOException {
        Path folder = asymmetric("asym-v2", forQueryDocument());
        Files.move(folder.resolve("router_config.json"), folder.resolve("config.json"));
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(module(0, "", "sentence_transformers.models.Asym"),
                module(1, "1_Normalize", "sentence_transformers.models.Normalize")));

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            VectorAssertions.assertClose(model.encodeQuery(TEXTS), expected(QUERY_TABLE), 1e-6);
            VectorAssertions.assertClose(model.encodeDocument(TEXTS), expected(DOCUMENT_TABLE), 1e-6);
        }
    }

    @Test
    void aRouterAfterTheFirstModuleIsRefused() {
        Path folder = asymmetric("second", forQueryDocument());
        TinyFolders.writeTokenizer(folder.resolve("0_StaticEmbedding"), VOCABULARY);
        TinyFolders.writeWeights(folder.resolve("0_StaticEmbedding"), Map.of("embedding.weight",
                new SafeTensors.Tensor(new long[] {VOCABULARY.size(), DIMENSION}, QUERY_TABLE)));
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(module(0, "0_StaticEmbedding", STATIC),
                module(1, "", ROUTER)));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("modules.json") + ": module 1 has type '" + ROUTER + "', a Router module after"
                        + " the first; it can only start a model");
    }

    @Test
    void aRouteNamingAMissingFolderIsNamedWithTheField() throws IOException {
        Path folder = asymmetric("missing", forQueryDocument());
        try (Stream<Path> files = Files.list(folder.resolve("query_0_StaticEmbedding"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("router_config.json") + ": structure.query names module "
                        + "'query_0_StaticEmbedding', but its folder " + folder.resolve("query_0_StaticEmbedding"));
    }

    @Test
    void aDefaultRouteThatIsNoRouteIsNamed() {
        Map<String, Object> parameters = forQueryDocument();
        parameters.put("default_route", "passage");

        assertThatThrownBy(() -> SentenceTransformer.load(asymmetric("default", parameters).toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("router_config.json: parameters.default_route is 'passage', which is not one of the"
                        + " routes [query, document]");
    }

    /**
     * Inference-free SPLADE: queries weigh each distinct token by the saved weight (computed here from the
     * word-level ids), documents run the SPLADE fixture exactly as it runs alone.
     */
    @Test
    void anInferenceFreeSparseEncoderLooksQueriesUpAndRunsDocuments() throws IOException {
        Path splade = Shared.path("fixtures/st6/models/splade-bert");
        int vocabulary = 1500;
        List<String> words = TinyFolders.vocabulary(vocabulary - TinyFolders.SPECIAL.size());
        float[] weights = TinyFolders.random(vocabulary, 5);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.abs(weights[i]) + 0.1f;
        }
        Path folder = temp.resolve("inference-free");
        Path query = folder.resolve("query_0_SparseStaticEmbedding");
        TinyFolders.writeTokenizer(query, words);
        TinyFolders.writeWeights(query, Map.of("weight", new SafeTensors.Tensor(new long[] {vocabulary}, weights)));
        TinyFolders.writeJson(query.resolve("config.json"), Map.of("frozen", false));
        Path document = folder.resolve("document_0_MLMTransformer");
        for (String file : List.of("config.json", "sentence_bert_config.json", "tokenizer.json", "tokenizer_config.json",
                "onnx/model.onnx")) {
            Files.createDirectories(document.resolve(file).getParent());
            Files.copy(splade.resolve(file), document.resolve(file));
        }
        Files.createDirectories(folder.resolve("document_1_SpladePooling"));
        Files.copy(splade.resolve("1_SpladePooling/config.json"), folder.resolve("document_1_SpladePooling/config.json"));
        Map<String, String> types = new LinkedHashMap<>();
        types.put("query_0_SparseStaticEmbedding", SPARSE_STATIC);
        types.put("document_0_MLMTransformer", "sentence_transformers.sparse_encoder.modules.mlm_transformer.MLMTransformer");
        types.put("document_1_SpladePooling", "sentence_transformers.sparse_encoder.modules.splade_pooling.SpladePooling");
        TinyFolders.writeJson(folder.resolve("router_config.json"), Map.of("types", types,
                "structure", Map.of("query", List.of("query_0_SparseStaticEmbedding"),
                        "document", List.of("document_0_MLMTransformer", "document_1_SpladePooling")),
                "parameters", forQueryDocument()));
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(module(0, "", ROUTER)));
        TinyFolders.writeSentenceTransformersConfig(folder, "SparseEncoder", "dot");
        List<String> queries = List.of("w1 w2 w2", "w1400 w7", "unknown");
        List<String> documents = List.of("a rose is a rose", "the quick brown fox");

        try (SparseEncoder model = SparseEncoder.load(folder.toString());
                SparseEncoder alone = SparseEncoder.load(splade.toString())) {
            List<SparseVector> encoded = model.encodeQuery(queries);
            for (int q = 0; q < queries.size(); q++) {
                Map<Integer, Float> expected = new java.util.TreeMap<>();
                for (int id : ids(words, queries.get(q))) {
                    expected.put(id, weights[id]);
                }
                SparseVector vector = encoded.get(q);
                Map<Integer, Float> actual = new java.util.TreeMap<>();
                for (int k = 0; k < vector.size(); k++) {
                    actual.put(vector.indices()[k], vector.values()[k]);
                }
                assertThat(actual).isEqualTo(expected);
            }
            assertThat(model.encodeDocument(documents)).isEqualTo(alone.encode(documents));
            assertThat(model.encode(documents)).isEqualTo(alone.encode(documents));
            assertThat(model.dimension()).isEqualTo(vocabulary);
            assertThat(model.routes()).containsExactlyInAnyOrder("query", "document");
        }
    }
}
