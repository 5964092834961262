package dev.sentence4j.spark;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.HubCaches;
import dev.sentence4j.LongInputs;
import dev.sentence4j.ModelFolders;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.VectorAssertions;
import dev.sentence4j.io.Npy;
import dev.sentence4j.layer.Normalize;
import dev.sentence4j.tokenize.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder's load choices (quantized, ONNX file, revision), prompts and chunking, each judged by the
 * vectors it gives on the shared local Spark: against the reference of ../shared, or against texts written
 * out as the model would see them. The revision test finds all-MiniLM-L6-v2 as a Hub repository in an
 * offline Hugging Face cache, its tag {@code v1} without the Normalize module.
 */
class EncodeChoicesTest {
    private static final String REPO = "test-org/spark-minilm";
    private static final StructType ID_TEXT = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true);

    @TempDir
    static Path temp;

    private static List<String> texts;
    private static float[][] reference;
    private static Path prompted;

    @BeforeAll
    static void start() throws IOException {
        LocalSpark.session();
        texts = Reference.sentences().subList(0, 24);
        reference = Arrays.copyOf(Reference.vectors(), texts.size());
        Path cache = HubCaches.environmentCache();
        HubCaches.clear(cache, REPO);
        HubCaches.put(cache, REPO, ModelFolders.miniLm(temp, "main"), "main");
        Path v1 = ModelFolders.miniLm(temp, "v1");
        Files.writeString(v1.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]""");
        HubCaches.put(cache, REPO, v1, "v1");
        prompted = ModelFolders.miniLm(temp, "prompted");
        Files.writeString(prompted.resolve("config_sentence_transformers.json"), "{\"prompts\": {\"query\": \"query: \"}}");
    }

    /** The vectors of the texts, in their order, encoded on Spark in two partitions. */
    private static float[][] embed(SentenceEmbedder embedder, List<String> inputs) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(RowFactory.create(i, inputs.get(i)));
        }
        List<Row> out = embedder.transform(LocalSpark.rows(rows, ID_TEXT, 2)).collectAsList();
        assertThat(out).extracting(row -> row.getInt(0)).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, inputs.size()).boxed().toList());
        return out.stream().map(row -> floats(row.getList(2))).toArray(float[][]::new);
    }

    private static float[] floats(List<Float> values) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }

    @Test
    void quantizedRunsTheInt8Export() {
        float[][] vectors = embed(new SentenceEmbedder().setModel(Reference.MODEL).setQuantized(true), texts);

        // The bounds FastPathsTest measured on the whole STSb sample (0.982 at worst, 0.991 on average).
        VectorAssertions.assertInt8Ran(vectors, reference, 0.975, 0.988);
    }

    @Test
    void onnxFileRunsTheFileNamed() {
        float[][] vectors = embed(new SentenceEmbedder().setModel(Reference.MODEL).setOnnxFile("onnx/model_quantized.onnx"), texts);

        VectorAssertions.assertInt8Ran(vectors, reference, 0.975, 0.988);
    }

    @Test
    void revisionLoadsThatBranchOrTag() {
        assertClose(embed(new SentenceEmbedder().setModel(REPO), texts), reference, REFERENCE_TOLERANCE);

        float[][] v1 = embed(new SentenceEmbedder().setModel(REPO).setRevision("v1"), texts);

        // v1 has no Normalize module: the same directions, not unit length.
        assertThat(Normalize.norm(v1[0])).isGreaterThan(1.5);
        assertClose(Normalize.l2(v1), reference, REFERENCE_TOLERANCE);
    }

    /** A prompt, by text or by the model's name for it: each text encodes as the prompt and the text written out. */
    @Test
    void promptsComeBeforeEveryText() {
        float[][] written = TestModels.get(Shared.MINILM).encode(texts.stream().map(t -> "query: " + t).toList());

        assertClose(embed(new SentenceEmbedder().setModel(Reference.MODEL).setPrompt("query: "), texts), written, REFERENCE_TOLERANCE);
        assertClose(embed(new SentenceEmbedder().setModel(prompted.toString()).setPromptName("query"), texts), written,
                REFERENCE_TOLERANCE);
        assertClose(embed(new SentenceEmbedder().setModel(prompted.toString()), texts), reference, REFERENCE_TOLERANCE);
    }

    /**
     * The edge cases hold paragraphs over the 256 tokens the model takes: truncated they give the reference;
     * chunked, the average of their windows, as {@code encode} chunks them, at the stride set.
     */
    @Test
    void chunkingAveragesTheWindowsOfLongTextsAtTheStrideSet() throws IOException {
        List<String> edgeCases = Shared.referenceTexts("edge-cases");
        float[][] truncated = Npy.read(Shared.path("reference/edge-cases." + Shared.shortName(Shared.MINILM) + ".npy"));
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        List<Boolean> cut = model.tokenizer().tokenize(edgeCases).stream().map(Tokens::truncated).toList();
        assertThat(cut).as("the edge cases include texts the model cuts").contains(true);
        EncodeOptions chunked = EncodeOptions.defaults().withLongInputs(LongInputs.CHUNK);

        float[][] byDefaultStride = embed(new SentenceEmbedder().setModel(Reference.MODEL).setLongInputs(LongInputs.CHUNK), edgeCases);
        float[][] byStride16 = embed(new SentenceEmbedder().setModel(Reference.MODEL).setLongInputs(LongInputs.CHUNK)
                .setChunkStride(16), edgeCases);

        assertClose(byDefaultStride, model.encode(edgeCases, chunked), 1e-5);
        assertClose(byStride16, model.encode(edgeCases, chunked.withChunkStride(16)), 1e-5);
        for (int i = 0; i < edgeCases.size(); i++) {
            if (cut.get(i)) {
                assertThat(VectorAssertions.maxAbsDiff(byDefaultStride[i], truncated[i])).as("text %d chunked or cut", i)
                        .isGreaterThan(1e-3);
                assertThat(VectorAssertions.maxAbsDiff(byDefaultStride[i], byStride16[i])).as("text %d by stride", i)
                        .isGreaterThan(1e-4);
            } else {
                assertClose(byDefaultStride[i], truncated[i], REFERENCE_TOLERANCE);
            }
        }
    }
}
