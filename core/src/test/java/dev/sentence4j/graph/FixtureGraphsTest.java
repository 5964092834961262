package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.Shared;
import dev.sentence4j.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every st6 fixture's transformer built from its checkpoint (ignoring its onnx/ folder) computes what
 * the fixture's own ONNX export computes, to 1e-5, on batches of the fixture's reference token ids:
 * from {@code model.safetensors} and from the {@code pytorch_model.bin} twin (zip; legacy torch.save
 * for seed-distilbert-mean). Each fixture is built once per format.
 */
class FixtureGraphsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 16;
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-bert-mean", "bert-cls-dense-lower", "bert-maxpool-multi", "cross-encoder-bert", "splade-bert",
            "seed-distilbert-mean", "roberta-mean", "xlmr-mean", "mpnet-mean", "modernbert-mean", "qwen3-lasttoken"})
    void safetensorsCheckpointsComputeWhatTheExportComputes(String name) throws Exception {
        assertMatchesExport(name, Shared.path("fixtures/st6/models/" + name));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-bert-mean", "bert-cls-dense-lower", "bert-maxpool-multi", "seed-distilbert-mean",
            "roberta-mean", "xlmr-mean", "mpnet-mean", "modernbert-mean", "qwen3-lasttoken"})
    void torchCheckpointsComputeWhatTheExportComputes(String name) throws Exception {
        assertMatchesExport(name, Shared.path("fixtures/st6/models-bin/" + name));
    }

    /**
     * int8 graphs (quantized Q/K/V feeding MultiHeadAttention, with MPNet's position bias) stay close
     * to the export at every real token, and really differ from float32.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-bert-mean", "mpnet-mean", "seed-distilbert-mean"})
    void int8GraphsStayCloseToTheExport(String name) throws Exception {
        Path folder = Shared.path("fixtures/st6/models/" + name);
        var recipe = CheckpointGraph.recipe(ModelFiles.folder(folder), checkpoint(folder), Head.NONE, true);
        Batch batch = Batch.of(tokens(name).subList(0, BATCH), false, false);
        try (GraphSession built = GraphSession.of(recipe.build().get());
                GraphSession exported = GraphSession.of(folder.resolve("onnx/model.onnx"))) {
            float[] actual = built.run(batch.ids(), batch.mask(), batch.types()).values();
            float[] expected = exported.run(batch.ids(), batch.mask(), batch.types()).values();
            int width = 32;
            double worst = 0;
            double lowestCosine = 1;
            for (int b = 0; b < batch.ids().length; b++) {
                for (int t = 0; t < batch.ids()[b].length; t++) {
                    if (batch.mask()[b][t] == 1) {
                        int at = (b * batch.ids()[b].length + t) * width;
                        double dot = 0;
                        double aa = 0;
                        double ee = 0;
                        for (int i = at; i < at + width; i++) {
                            dot += actual[i] * expected[i];
                            aa += actual[i] * actual[i];
                            ee += expected[i] * expected[i];
                            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                        }
                        lowestCosine = Math.min(lowestCosine, dot / Math.sqrt(aa * ee));
                    }
                }
            }
            assertThat(lowestCosine).isGreaterThan(0.99);
            assertThat(worst).isGreaterThan(TOLERANCE);
        }
    }

    /** The folder's checkpoint file, as the loader picks it. */
    static String checkpoint(Path folder) {
        return CheckpointGraph.checkpointFile(ModelFiles.folder(folder), "").orElseThrow();
    }

    private static Head head(String name) {
        return switch (name) {
            case "cross-encoder-bert" -> Head.SEQUENCE_CLASSIFICATION;
            case "splade-bert" -> Head.MASKED_LM;
            default -> Head.NONE;
        };
    }

    private static void assertMatchesExport(String name, Path folder) throws Exception {
        Path export = Shared.path("fixtures/st6/models/" + name + "/onnx/model.onnx");
        Head head = head(name);
        var recipe = CheckpointGraph.recipe(ModelFiles.folder(folder), checkpoint(folder), head, false);
        List<long[]> texts = tokens(name);
        boolean leftPadding = Files.readString(folder.resolve("tokenizer_config.json")).contains("\"padding_side\": \"left\"");
        int compared = 0;
        try (GraphSession built = GraphSession.of(recipe.build().get()); GraphSession exported = GraphSession.of(export)) {
            for (int start = 0; start < texts.size(); start += BATCH) {
                Batch batch = Batch.of(texts.subList(start, Math.min(texts.size(), start + BATCH)), leftPadding,
                        head == Head.SEQUENCE_CLASSIFICATION);
                GraphSession.Output expected = exported.run(batch.ids(), batch.mask(), batch.types());
                GraphSession.Output actual = built.run(batch.ids(), batch.mask(), batch.types());
                assertThat(actual.name()).isEqualTo(head.output());
                assertThat(actual.shape()).isEqualTo(expected.shape());
                compared += compare(actual, expected, batch, name + " texts " + start + "+");
            }
        }
        assertThat(compared).isGreaterThan(texts.size());
    }

    /** Compares the values at real tokens (padding positions' outputs are never used); returns how many rows were compared. */
    private static int compare(GraphSession.Output actual, GraphSession.Output expected, Batch batch, String where) {
        long[] shape = expected.shape();
        if (shape.length == 2) {
            assertClose(actual.values(), expected.values(), 0, expected.values().length, where);
            return (int) shape[0] * 2;
        }
        int width = (int) shape[2];
        int rows = 0;
        for (int b = 0; b < shape[0]; b++) {
            for (int t = 0; t < shape[1]; t++) {
                if (batch.mask()[b][t] == 1) {
                    int at = (int) ((b * shape[1] + t) * width);
                    assertClose(actual.values(), expected.values(), at, width, where + " row " + b + " token " + t);
                    rows++;
                }
            }
        }
        return rows;
    }

    private static void assertClose(float[] actual, float[] expected, int from, int length, String where) {
        double worst = 0;
        for (int i = from; i < from + length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).as(where).isLessThanOrEqualTo(TOLERANCE);
    }

    private static List<long[]> tokens(String name) throws Exception {
        // The cross-encoder and the SPLADE model share seed-bert-mean's vocabulary size; their own references are not token lists.
        String source = name.equals("cross-encoder-bert") || name.equals("splade-bert") ? "seed-bert-mean" : name;
        long[][] ids = JSON.readValue(Shared.path("fixtures/st6/reference/" + source + ".public.tokens.json").toFile(), long[][].class);
        return List.of(ids);
    }

    /** A padded batch; with {@code pairs}, the second half of each text is segment 1, as a cross-encoder's pair is. */
    record Batch(long[][] ids, long[][] mask, long[][] types) {
        static Batch of(List<long[]> texts, boolean left, boolean pairs) {
            int length = texts.stream().mapToInt(t -> t.length).max().orElse(0);
            long[][] ids = new long[texts.size()][length];
            long[][] mask = new long[texts.size()][length];
            long[][] types = new long[texts.size()][length];
            for (int b = 0; b < texts.size(); b++) {
                long[] text = texts.get(b);
                int offset = left ? length - text.length : 0;
                for (int t = 0; t < text.length; t++) {
                    ids[b][offset + t] = text[t];
                    mask[b][offset + t] = 1;
                    types[b][offset + t] = pairs && t >= text.length / 2 ? 1 : 0;
                }
            }
            return new Batch(ids, mask, types);
        }
    }
}
