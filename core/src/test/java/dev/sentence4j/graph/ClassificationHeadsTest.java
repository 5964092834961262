package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.Shared;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.weights.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sequence-classification and causal-LM heads of every architecture, built from checkpoints: the st6
 * fixtures' base models (proven against the real library's ONNX exports elsewhere) with random heads of
 * three labels added here. Expected logits are the head computed in float64 in this test on the hidden
 * states of the fixture's own ONNX export (encoders, Qwen3), or a float64 forward of the whole decoder
 * (Qwen2, which has no fixture), never by the graph builder.
 */
class ClassificationHeadsTest {
    private static final int LABELS = 3;
    private static final int ROWS = 8;
    @TempDir
    static Path temp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"seed-bert-mean, bert", "seed-distilbert-mean, distilbert", "roberta-mean, roberta", "xlmr-mean, roberta",
            "mpnet-mean, roberta", "modernbert-mean, modernbert-cls", "modernbert-mean, modernbert-mean"})
    void encoderHeadsGiveTheLogitsOfTheirLayout(String fixture, String layout) throws Exception {
        Map<String, SafeTensors.Tensor> base = CheckpointFolders.tensors(fixture);
        JsonNode config = CheckpointFolders.JSON.readTree(Shared.path("fixtures/st6/models/" + fixture + "/config.json").toFile());
        int hidden = config.path("hidden_size").asInt(config.path("dim").asInt());
        Map<String, SafeTensors.Tensor> head = encoderHead(layout, hidden, new Random(fixture.hashCode() + layout.hashCode()));
        Path folder = folder(fixture + "-" + layout, fixture, base, head,
                c -> c.put("classifier_pooling", layout.endsWith("mean") ? "mean" : "cls"));
        GraphSession.Batch batch = rightPadded(fixture);
        float[] actual = built(folder, Head.SEQUENCE_CLASSIFICATION, false).run(batch).values();

        float[] states = exported(fixture, batch);
        int length = batch.ids()[0].length;
        Map<String, SafeTensors.Tensor> all = new LinkedHashMap<>(base);
        all.putAll(head);
        double eps = config.path("layer_norm_eps").asDouble(config.path("norm_eps").asDouble(1e-12));
        for (int b = 0; b < ROWS; b++) {
            double[] pooled = layout.endsWith("mean") ? mean(states, b, length, hidden, batch.mask()[b])
                    : Float64.row(states, b * length, hidden);
            double[] expected = switch (layout) {
                case "bert" -> Float64.linear(all, "classifier", Float64.map(Float64.linear(all, "pooler.dense", pooled, true),
                        Math::tanh), true);
                case "distilbert" -> Float64.linear(all, "classifier", Float64.map(Float64.linear(all, "pre_classifier",
                        pooled, true), v -> Math.max(0, v)), true);
                case "roberta" -> Float64.linear(all, "classifier.out_proj", Float64.map(Float64.linear(all,
                        "classifier.dense", pooled, true), Math::tanh), true);
                default -> Float64.linear(all, "classifier", Float64.layerNorm(Float64.map(Float64.linear(all, "head.dense",
                        pooled, false), Float64::gelu), all.get("head.norm.weight").values(), null, eps), true);
            };
            assertClose(actual, b, expected, 2e-4);
        }
    }

    @Test
    void qwen3ScoresTheLastRealTokenOfLeftPaddedRows() throws Exception {
        Map<String, SafeTensors.Tensor> base = CheckpointFolders.tensors("qwen3-lasttoken");
        Map<String, SafeTensors.Tensor> head = new LinkedHashMap<>();
        head.put("score.weight", normal(new Random(3), LABELS, 32));
        Path folder = folder("qwen3-cls", "qwen3-lasttoken", prefixed(base), head, c -> { });
        GraphSession.Batch batch = leftPadded("qwen3-lasttoken", 0);
        float[] actual = built(folder, Head.SEQUENCE_CLASSIFICATION, false).run(batch).values();
        float[] states = exported("qwen3-lasttoken", batch);
        int length = batch.ids()[0].length;
        for (int b = 0; b < ROWS; b++) {
            // transformers reads the rightmost token that is not pad_token_id: the fixture's texts end in
            // <|endoftext|>, which is also its padding token, so the token before it
            int last = length - 1;
            while (batch.ids()[b][last] == 0) {
                last--;
            }
            assertThat(last).isLessThan(length - 1);
            assertClose(actual, b, Float64.linear(head, "score", Float64.row(states, b * length + last, 32), false), 2e-4);
        }
    }

    @Test
    void theFloat64DecoderAgreesWithTheRealExport() throws Exception {
        JsonNode config = CheckpointFolders.JSON.readTree(Shared.path("fixtures/st6/models/qwen3-lasttoken/config.json").toFile());
        ReferenceDecoder reference = new ReferenceDecoder(CheckpointFolders.tensors("qwen3-lasttoken"), config);
        GraphSession.Batch batch = leftPadded("qwen3-lasttoken", 0);
        float[] states = exported("qwen3-lasttoken", batch);
        int length = batch.ids()[0].length;
        for (int b = 0; b < ROWS; b++) {
            double[][] expected = reference.hiddenStates(batch.ids()[b], batch.mask()[b]);
            for (int t = 0; t < length; t++) {
                if (batch.mask()[b][t] == 1) {
                    assertClose(states, b * length + t, expected[t], 1e-4);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2", "qwen3"})
    void decodersClassifyAndComputeTheLanguageModelRowsAsked(String modelType) throws Exception {
        Map<String, SafeTensors.Tensor> tensors = decoder(modelType, new Random(modelType.hashCode()));
        tensors.put("score.weight", normal(new Random(5), LABELS, 32));
        tensors.put("lm_head.weight", normal(new Random(6), 1500, 32));
        Path folder = folder(modelType + "-decoder", "qwen3-lasttoken", tensors, Map.of(), c -> {
            c.put("model_type", modelType);
            c.put("tie_word_embeddings", false);
        });
        JsonNode config = CheckpointFolders.JSON.readTree(folder.resolve("config.json").toFile());
        ReferenceDecoder reference = new ReferenceDecoder(tensors, config);
        GraphSession.Batch batch = leftPadded("qwen3-lasttoken", 0);
        // every text ends in <|endoftext|> (the padding token): the classifier reads the token before it
        assertThat(Arrays.stream(batch.ids()).mapToLong(row -> row[row.length - 1])).containsOnly(0L);
        List<Integer> rows = List.of(1042, 7);
        float[] classified = built(folder, Head.SEQUENCE_CLASSIFICATION, false).run(batch).values();
        float[] two = session(folder, Head.CAUSAL_LM, false, rows).run(batch).values();
        GraphSession.Output full = session(folder, Head.CAUSAL_LM, false, List.of()).run(batch);
        assertThat(full.shape()).containsExactly(batch.ids().length, 1500);
        int length = batch.ids()[0].length;
        for (int b = 0; b < ROWS; b++) {
            double[][] states = reference.hiddenStates(batch.ids()[b], batch.mask()[b]);
            double[] last = states[length - 1];
            assertClose(classified, b, Float64.linear(tensors, "score", states[length - 2], false), 2e-4);
            double[] logits = Float64.linear(tensors, "lm_head", last, false);
            assertClose(two, b, new double[] {logits[1042], logits[7]}, 2e-4);
            assertThat(full.values()[b * 1500 + 1042]).isCloseTo(two[b * 2], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(full.values()[b * 1500 + 7]).isCloseTo(two[b * 2 + 1], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void aTiedLanguageModelHeadReadsTheEmbeddings() throws Exception {
        Map<String, SafeTensors.Tensor> tensors = prefixed(CheckpointFolders.tensors("qwen3-lasttoken"));
        Path folder = folder("qwen3-tied", "qwen3-lasttoken", tensors, Map.of(), c -> { });
        JsonNode config = CheckpointFolders.JSON.readTree(folder.resolve("config.json").toFile());
        GraphSession.Batch batch = leftPadded("qwen3-lasttoken", 0);
        float[] two = session(folder, Head.CAUSAL_LM, false, List.of(3, 900)).run(batch).values();
        int length = batch.ids()[0].length;
        float[] embeddings = tensors.get("model.embed_tokens.weight").values();
        double[] last = new ReferenceDecoder(tensors, config).hiddenStates(batch.ids()[0], batch.mask()[0])[length - 1];
        double[] expected = new double[2];
        for (int i = 0; i < 32; i++) {
            expected[0] += embeddings[3 * 32 + i] * last[i];
            expected[1] += embeddings[900 * 32 + i] * last[i];
        }
        assertClose(two, 0, expected, 2e-4);

        Path untied = folder("qwen3-untied", "qwen3-lasttoken", tensors, Map.of(), c -> c.put("tie_word_embeddings", false));
        assertThatThrownBy(() -> session(untied, Head.CAUSAL_LM, false, List.of(3)))
                .hasMessageContaining("'lm_head.weight'").hasMessageContaining("tie_word_embeddings");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"BF16", "F16"})
    void narrowCheckpointsGiveTheHeadsTheirDecodedWeights(String dtype) throws Exception {
        Map<String, SafeTensors.Tensor> tensors = decoder("qwen2", new Random(11));
        tensors.put("score.weight", normal(new Random(12), LABELS, 32));
        Map<String, SafeTensors.Tensor> decoded = new LinkedHashMap<>();
        tensors.forEach((name, t) -> decoded.put(name, new SafeTensors.Tensor(t.shape(), narrowed(t.values(), dtype))));
        Path wide = folder("qwen2-" + dtype + "-wide", "qwen3-lasttoken", decoded, Map.of(), c -> c.put("model_type", "qwen2"));
        Path narrow = folder("qwen2-" + dtype, "qwen3-lasttoken", Map.of(), Map.of(), c -> c.put("model_type", "qwen2"));
        CheckpointFolders.writeNarrow(narrow.resolve("model.safetensors"), tensors, dtype,
                dtype.equals("BF16") ? CheckpointFolders::bfloat16 : CheckpointFolders::float16);
        GraphSession.Batch batch = leftPadded("qwen3-lasttoken", 0);
        float[] expected = built(wide, Head.SEQUENCE_CLASSIFICATION, false).run(batch).values();
        float[] actual = built(narrow, Head.SEQUENCE_CLASSIFICATION, false).run(batch).values();
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-bert-mean", "modernbert-mean", "qwen3-lasttoken"})
    void int8HeadsStayCloseToFloat32(String fixture) throws Exception {
        boolean decoder = fixture.startsWith("qwen");
        Map<String, SafeTensors.Tensor> base = CheckpointFolders.tensors(fixture);
        Map<String, SafeTensors.Tensor> head = decoder ? Map.of("score.weight", normal(new Random(8), LABELS, 32))
                : encoderHead(fixture.startsWith("modern") ? "modernbert" : "bert", 32, new Random(9));
        Path folder = folder(fixture + "-int8", fixture, decoder ? prefixed(base) : base, head, c -> { });
        GraphSession.Batch batch = decoder ? leftPadded(fixture, 0) : rightPadded(fixture);
        float[] float32 = built(folder, Head.SEQUENCE_CLASSIFICATION, false).run(batch).values();
        float[] int8 = built(folder, Head.SEQUENCE_CLASSIFICATION, true).run(batch).values();
        double worst = 0;
        double dot = 0;
        double ff = 0;
        double ii = 0;
        for (int i = 0; i < float32.length; i++) {
            worst = Math.max(worst, Math.abs(float32[i] - int8[i]));
            dot += float32[i] * int8[i];
            ff += float32[i] * float32[i];
            ii += int8[i] * int8[i];
        }
        // the fixtures' random weights (initializer_range 0.25) are far rougher than trained ones, so int8
        // moves each logit visibly; the logits of all rows still point the same way
        assertThat(worst).isGreaterThan(1e-6);
        assertThat(dot / Math.sqrt(ff * ii)).isGreaterThan(0.8);
    }

    @Test
    void aCausalHeadIsRefusedWhereNoneIsBuilt() throws Exception {
        Path folder = folder("bert-causal", "seed-bert-mean", CheckpointFolders.tensors("seed-bert-mean"), Map.of(), c -> { });
        assertThatThrownBy(() -> built(folder, Head.CAUSAL_LM, false)).isInstanceOf(IllegalArgumentException.class);
        Path decoder = folder("qwen3-rows", "qwen3-lasttoken", prefixed(CheckpointFolders.tensors("qwen3-lasttoken")), Map.of(),
                c -> { });
        assertThatThrownBy(() -> session(decoder, Head.CAUSAL_LM, false, List.of(1500)))
                .hasMessageContaining("vocabulary row 1500");
    }

    // --- folders and batches ---

    private static Map<String, SafeTensors.Tensor> encoderHead(String layout, int hidden, Random random) {
        Map<String, SafeTensors.Tensor> head = new LinkedHashMap<>();
        switch (layout) {
            case "bert" -> {
                head.put("classifier.weight", normal(random, LABELS, hidden));
                head.put("classifier.bias", normal(random, LABELS));
            }
            case "distilbert" -> {
                head.put("pre_classifier.weight", normal(random, hidden, hidden));
                head.put("pre_classifier.bias", normal(random, hidden));
                head.put("classifier.weight", normal(random, LABELS, hidden));
                head.put("classifier.bias", normal(random, LABELS));
            }
            case "roberta" -> {
                head.put("classifier.dense.weight", normal(random, hidden, hidden));
                head.put("classifier.dense.bias", normal(random, hidden));
                head.put("classifier.out_proj.weight", normal(random, LABELS, hidden));
                head.put("classifier.out_proj.bias", normal(random, LABELS));
            }
            default -> {
                head.put("head.dense.weight", normal(random, hidden, hidden));
                SafeTensors.Tensor norm = normal(random, hidden);
                float[] weights = norm.values();
                for (int i = 0; i < weights.length; i++) {
                    weights[i] += 1;
                }
                head.put("head.norm.weight", norm);
                head.put("classifier.weight", normal(random, LABELS, hidden));
                head.put("classifier.bias", normal(random, LABELS));
            }
        }
        return head;
    }

    /** The Qwen3 fixture's decoder as {@code modelType}: Qwen2 drops the query/key norms and gains q/k/v biases. */
    static Map<String, SafeTensors.Tensor> decoder(String modelType, Random random) throws Exception {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        CheckpointFolders.tensors("qwen3-lasttoken").forEach((name, tensor) -> {
            if (modelType.equals("qwen3") || !name.contains("_norm.weight") || name.contains("layernorm")) {
                tensors.put("model." + name, tensor);
            }
        });
        if (modelType.equals("qwen2")) {
            for (int l = 0; l < 2; l++) {
                tensors.put("model.layers." + l + ".self_attn.q_proj.bias", normal(random, 32));
                tensors.put("model.layers." + l + ".self_attn.k_proj.bias", normal(random, 16));
                tensors.put("model.layers." + l + ".self_attn.v_proj.bias", normal(random, 16));
            }
        }
        return tensors;
    }

    private static Map<String, SafeTensors.Tensor> prefixed(Map<String, SafeTensors.Tensor> base) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        base.forEach((name, tensor) -> tensors.put("model." + name, tensor));
        return tensors;
    }

    private static Path folder(String name, String fixture, Map<String, SafeTensors.Tensor> base,
            Map<String, SafeTensors.Tensor> head, Consumer<ObjectNode> edit) throws Exception {
        Path folder = CheckpointFolders.folder(temp, name, fixture, config -> {
            ObjectNode labels = config.putObject("id2label");
            for (int i = 0; i < LABELS; i++) {
                labels.put(Integer.toString(i), "LABEL_" + i);
            }
            edit.accept(config);
        });
        if (!base.isEmpty() || !head.isEmpty()) {
            Map<String, SafeTensors.Tensor> all = new LinkedHashMap<>(base);
            all.putAll(head);
            SafeTensors.write(folder.resolve("model.safetensors"), all);
        }
        return folder;
    }

    private static GraphSession built(Path folder, Head head, boolean quantized) throws Exception {
        return GraphSession.of(CheckpointGraph.recipe(ModelFiles.folder(folder), CheckpointFolders.checkpoint(folder), head,
                quantized).build().get());
    }

    private static GraphSession session(Path folder, Head head, boolean quantized, List<Integer> rows) throws Exception {
        return GraphSession.of(CheckpointGraph.recipe(ModelFiles.folder(folder), CheckpointFolders.checkpoint(folder), head,
                quantized, rows).build().get());
    }

    private static float[] exported(String fixture, GraphSession.Batch batch) throws Exception {
        try (GraphSession export = GraphSession.of(Shared.path("fixtures/st6/models/" + fixture + "/onnx/model.onnx"))) {
            return export.run(batch).values();
        }
    }

    private static List<long[]> tokens(String fixture) throws Exception {
        long[][] ids = CheckpointFolders.JSON.readValue(Shared.path("fixtures/st6/reference/" + fixture + ".public.tokens.json")
                .toFile(), long[][].class);
        return new ArrayList<>(Arrays.asList(ids).subList(0, ROWS));
    }

    private static GraphSession.Batch rightPadded(String fixture) throws Exception {
        return GraphSession.Batch.of(tokens(fixture));
    }

    /** The rows padded on the left with {@code pad}, as a decoder's tokenizer pads them. */
    static GraphSession.Batch leftPadded(String fixture, long pad) throws Exception {
        List<long[]> rows = tokens(fixture);
        int length = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
        long[][] ids = new long[rows.size()][length];
        long[][] mask = new long[rows.size()][length];
        for (int b = 0; b < rows.size(); b++) {
            int offset = length - rows.get(b).length;
            Arrays.fill(ids[b], pad);
            System.arraycopy(rows.get(b), 0, ids[b], offset, rows.get(b).length);
            Arrays.fill(mask[b], offset, length, 1);
        }
        return new GraphSession.Batch(ids, mask, new long[rows.size()][length]);
    }

    private static double[] mean(float[] states, int b, int length, int hidden, long[] mask) {
        double[] sum = new double[hidden];
        int count = 0;
        for (int t = 0; t < length; t++) {
            if (mask[t] == 1) {
                count++;
                for (int i = 0; i < hidden; i++) {
                    sum[i] += states[(b * length + t) * hidden + i];
                }
            }
        }
        for (int i = 0; i < hidden; i++) {
            sum[i] /= count;
        }
        return sum;
    }

    static SafeTensors.Tensor normal(Random random, long... shape) {
        int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * 0.3);
        }
        return new SafeTensors.Tensor(shape, values);
    }

    private static float[] narrowed(float[] values, String dtype) {
        float[] decoded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            decoded[i] = dtype.equals("BF16") ? Float.intBitsToFloat(CheckpointFolders.bfloat16(values[i]) << 16)
                    : halfToFloat(CheckpointFolders.float16(values[i]));
        }
        return decoded;
    }

    private static float halfToFloat(int half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0) {
            return Float.intBitsToFloat(sign) + (sign != 0 ? -1 : 1) * mantissa * (float) Math.pow(2, -24);
        }
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
    }

    private static void assertClose(float[] actual, int row, double[] expected, double tolerance) {
        double scale = Arrays.stream(expected).map(Math::abs).max().orElse(1);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[row * expected.length + i]).as("row %d, value %d", row, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tolerance * Math.max(1, scale)));
        }
    }
}
